package io.marvel.hdfs.pmem.store;

import java.io.IOException;
import java.nio.ByteBuffer;
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
  private static final int ZEROS_BYTES = 1 << 20;

  private DataFileLength() {
  }

  /**
   * Checks the data file's length against the header: the full capacity, or for a finalized
   * replica its length. A longer file of a finalized replica is trimmed now: a crash between
   * recording the length and trimming left it, when finalizing (the full capacity) or when a
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
   * Writes zeros to [from, to) through the file system, which allocates the space now and
   * reports a full volume as an {@link IOException}.
   */
  static void zeroFill(Path path, long from, long to) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZEROS_BYTES, to - from));
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      for (long at = from; at < to; ) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
        at += channel.write(zeros, at);
      }
    }
  }
}
