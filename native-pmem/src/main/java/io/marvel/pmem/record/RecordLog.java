package io.marvel.pmem.record;

import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only log of checksummed records in a PMEM region, after a {@link HeaderSlots}
 * header. Each record is {@code [int length][int crc32c][payload]}, padded to 8 bytes.
 *
 * <p>{@link #append} persists the record, then commits the header's persisted length over it:
 * when it returns the record is durable and will be recovered. A crash before the commit leaves
 * a record beyond the committed length, which recovery ignores and reports as a torn tail.
 *
 * <p>Not thread-safe: one appender at a time.
 */
public final class RecordLog {
  private static final int RECORD_HEADER = 8;

  private final PmemRegion region;
  private RegionHeader header;

  private RecordLog(PmemRegion region, RegionHeader header) {
    this.region = region;
    this.header = header;
  }

  /**
   * Formats {@code region} as an empty log.
   *
   * @throws PmemException if persisting the header fails
   */
  public static RecordLog format(PmemRegion region, long magic, int version)
      throws PmemException {
    return new RecordLog(region, HeaderSlots.format(region, magic, version));
  }

  /**
   * Opens an existing log at its committed end.
   *
   * @throws IOException if the region holds no valid log header with {@code magic}
   */
  public static RecordLog open(PmemRegion region, long magic) throws IOException {
    return new RecordLog(region, HeaderSlots.read(region, magic));
  }

  /** @return the committed header */
  public RegionHeader header() {
    return header;
  }

  /** @return bytes still free for records, headers included */
  public long remaining() {
    return region.length() - HeaderSlots.SIZE - header.persistedLength();
  }

  /**
   * Appends a record durably.
   *
   * @throws PmemException naming the file if the record does not fit, or persisting fails
   */
  public void append(byte[] payload, int offset, int length) throws PmemException {
    long size = paddedSize(length);
    if (size > remaining()) {
      throw new PmemException("record of " + length + " bytes does not fit in " + region.path()
          + " (" + remaining() + " bytes free); start a new log file", 28);
    }
    long at = HeaderSlots.SIZE + header.persistedLength();
    CRC32C crc = new CRC32C();
    crc.update(payload, offset, length);
    ByteBuffer head = ByteBuffer.allocate(RECORD_HEADER).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(length).putInt((int) crc.getValue());
    region.writeFlushed(at, head.array(), 0, RECORD_HEADER);
    region.writeFlushed(at + RECORD_HEADER, payload, offset, length);
    // The record must be durable before the header claims it.
    region.drain();
    RegionHeader next = header.next(header.persistedLength() + size);
    HeaderSlots.commit(region, next);
    header = next;
  }

  /**
   * Reads every committed record and checks it, and looks past the committed end for a torn or
   * uncommitted record.
   *
   * @throws IOException naming the file and offset if a committed record is damaged
   */
  public Recovery recover() throws IOException {
    List<byte[]> records = new ArrayList<>();
    long end = HeaderSlots.SIZE + header.persistedLength();
    long at = HeaderSlots.SIZE;
    ByteBuffer head = ByteBuffer.allocate(RECORD_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    while (at < end) {
      region.read(at, head.array(), 0, RECORD_HEADER);
      int length = head.getInt(0);
      if (length < 0 || at + paddedSize(length) > end) {
        throw new IOException("damaged record at offset " + at + " of " + region.path()
            + ": length " + length + " runs past the committed end " + end);
      }
      byte[] payload = new byte[length];
      region.read(at + RECORD_HEADER, payload, 0, length);
      CRC32C crc = new CRC32C();
      crc.update(payload);
      if ((int) crc.getValue() != head.getInt(4)) {
        throw new IOException("damaged record at offset " + at + " of " + region.path()
            + ": checksum mismatch");
      }
      records.add(payload);
      at += paddedSize(length);
    }
    return new Recovery(records, tornTail(end));
  }

  /** Counts the non-zero bytes of the first record slot after the committed end. */
  private long tornTail(long end) {
    if (end + RECORD_HEADER > region.length()) {
      return 0;
    }
    byte[] probe = new byte[(int) Math.min(region.length() - end, 64 * 1024)];
    region.read(end, probe, 0, probe.length);
    long last = -1;
    for (int i = 0; i < probe.length; i++) {
      if (probe[i] != 0) {
        last = i;
      }
    }
    return last + 1;
  }

  private static long paddedSize(int length) {
    return (RECORD_HEADER + (long) length + 7) & ~7L;
  }

  /**
   * What recovery found.
   *
   * @param records the committed records, oldest first
   * @param tornTailBytes bytes found after the committed end (a record whose append did not
   *     return), ignored; 0 when the log ended cleanly
   */
  public record Recovery(List<byte[]> records, long tornTailBytes) {
  }
}
