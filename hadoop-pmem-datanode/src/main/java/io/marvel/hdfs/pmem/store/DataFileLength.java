package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.Pmem;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The length of a replica's data file: the data capacity while the replica is written, the
 * replica's length once it is finalized (short-circuit readers take the end of the file for the
 * end of the block). Stateless; {@link BlockFile} serializes calls for one file.
 */
final class DataFileLength {
  private DataFileLength() {
  }

  /**
   * Checks the data file's length against the header: the full capacity, or for a finalized
   * replica its length; a free file may be shorter (a trimmed one recycled by the pool). A
   * longer file of a finalized replica is trimmed now: a crash between recording the length
   * and trimming left it, when finalizing (the full capacity) or when a
   * truncate recovered the replica in place (its former length). The recorded length is durable
   * and what follows it is no longer the replica's.
   *
   * @param path the data file
   * @param header the pair's header
   * @return the data file's length in bytes
   * @throws CorruptBlockFileException if the file is missing or of another length
   * @throws IOException if trimming fails
   */
  static long checkOnOpen(Path path, BlockFileHeader header) throws IOException {
    if (Files.notExists(path)) {
      throw new CorruptBlockFileException(path, "the data file is missing");
    }
    long actual = Files.size(path);
    boolean finalized = header.state() == BlockFileState.FINALIZED;
    long expected = finalized ? header.dataLength() : header.layout().dataFileLength();
    if (actual == expected) {
      return actual;
    }
    if (header.state() == BlockFileState.FREE && actual < expected) {
      // Recycled from a trimmed replica and not grown back yet: it holds nothing, and the pool
      // grows it before a replica gets it.
      return actual;
    }
    if (finalized && actual > expected) {
      truncate(path, expected);
      return expected;
    }
    throw new CorruptBlockFileException(path, "header describes " + expected
        + " bytes but the file has " + actual);
  }

  /** Cuts the file to {@code length} bytes. */
  static void truncate(Path path, long length) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      channel.truncate(length);
    }
  }

  /**
   * Allocates [from, to) through the file system ({@code posix_fallocate}), growing the file to
   * {@code to}: the space is reserved now, reads as zeros, and a full volume is reported as a
   * {@link io.marvel.pmem.PmemNoSpaceException}. It writes nothing: writing zeros through the
   * file system cost three times as much CPU for a 128 MiB block file.
   */
  static void allocate(Path path, long from, long to) throws IOException {
    Pmem.allocate(path, from, to - from);
  }
}
