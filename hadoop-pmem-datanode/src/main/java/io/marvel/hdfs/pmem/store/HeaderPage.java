package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.DurableHeader.Versioned;
import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The header page at the end of a block file's meta file: the header as last written and the
 * sequence number of its slot. A new header goes, with the next sequence, into the other slot
 * ({@link HeaderCodec}). Header writes are serialized; thread-safe.
 */
final class HeaderPage {
  /** Writes one header slot durably. */
  @FunctionalInterface
  interface SlotWriter {
    void write(BlockFileHeader header, long sequence) throws PmemException;
  }

  private BlockFileHeader header;
  private long sequence;

  HeaderPage(BlockFileHeader header, long sequence) {
    this.header = header;
    this.sequence = sequence;
  }

  /** @return the newest valid header of the header page at the end of {@code meta} */
  static Optional<Versioned<BlockFileHeader>> read(PmemRegion meta) {
    if (meta.length() < BlockFileLayout.HEADER_BYTES) {
      return Optional.empty();
    }
    return HeaderCodec.read(meta, meta.length() - BlockFileLayout.HEADER_BYTES);
  }

  /** @return the header as last written */
  synchronized BlockFileHeader current() {
    return header;
  }

  /**
   * Writes {@code next} with the next sequence number through {@code writer}.
   *
   * @param file names the file in messages
   * @throws IllegalArgumentException if {@code next} has another layout
   * @throws PmemException if the writer fails (the current header stays)
   */
  synchronized void write(BlockFileHeader next, SlotWriter writer, Path file)
      throws PmemException {
    if (!next.layout().equals(header.layout())) {
      throw new IllegalArgumentException("header layout " + next.layout()
          + " does not match file " + file + " with " + header.layout());
    }
    writer.write(next, sequence + 1);
    sequence++;
    header = next;
  }

  /** Writes the current header with {@code length} unless it records that length already. */
  synchronized void writeLength(long length, SlotWriter writer, Path file)
      throws PmemException {
    if (header.dataLength() != length) {
      write(header.withLength(length), writer, file);
    }
  }

  /**
   * Runs {@code action} with header writes held off. A header write holds this page while it
   * waits for its file's {@link HandOverGuard}, so whoever takes that guard exclusively and then
   * needs this page must take the page first, here, or the two wait for each other forever.
   *
   * @return what the action returned
   */
  synchronized <T> T holdingWrites(Supplier<T> action) {
    return action.get();
  }

  /** @return a page for the new owner of the same files */
  synchronized HeaderPage copy() {
    return new HeaderPage(header, sequence);
  }
}
