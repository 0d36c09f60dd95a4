package io.marvel.faas.state;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The format of a map output in a state store: a header, a partition table, then Hadoop's map
 * output data (IFile segments, one per partition, exactly as {@code MapTask} wrote them).
 *
 * <pre>
 * 0   magic     8 bytes "MVLMAPO1"
 * 8   version   4 bytes
 * 12  partitions 4 bytes (n)
 * 16  dataLength 8 bytes
 * 24  n x (offset, rawLength, partLength), 8 bytes each
 * 24 + 24n  data
 * </pre>
 *
 * Writers make the table and data durable before the header, so a header with the right magic
 * means the whole entry is complete. Immutable and thread-safe.
 */
final class MapOutputLayout {
  static final long MAGIC = 0x4D564C4D41504F31L;
  static final int VERSION = 1;
  static final int HEADER_BYTES = 24;
  static final int ENTRY_BYTES = 24;

  private final List<PartitionRange> partitions;
  private final long dataLength;

  MapOutputLayout(List<PartitionRange> partitions, long dataLength) {
    this.partitions = List.copyOf(partitions);
    this.dataLength = dataLength;
    for (PartitionRange range : this.partitions) {
      if (range.offset() + range.partLength() > dataLength) {
        throw new IllegalArgumentException("partition " + range + " exceeds map output data of "
            + dataLength + " bytes");
      }
    }
  }

  List<PartitionRange> partitions() {
    return partitions;
  }

  long dataLength() {
    return dataLength;
  }

  /** @return offset of the data in the stored entry in bytes */
  long dataOffset() {
    return tableEnd(partitions.size());
  }

  /** @return total bytes of the stored entry */
  long totalLength() {
    return dataOffset() + dataLength;
  }

  PartitionRange partition(int index) {
    if (index < 0 || index >= partitions.size()) {
      throw new IllegalArgumentException("partition " + index + " not in map output with "
          + partitions.size() + " partitions");
    }
    return partitions.get(index);
  }

  /** @return the header (magic, version, counts) */
  byte[] header() {
    return ByteBuffer.allocate(HEADER_BYTES).putLong(MAGIC).putInt(VERSION)
        .putInt(partitions.size()).putLong(dataLength).array();
  }

  /** @return the partition table */
  byte[] table() {
    ByteBuffer table = ByteBuffer.allocate(ENTRY_BYTES * partitions.size());
    for (PartitionRange range : partitions) {
      table.putLong(range.offset()).putLong(range.rawLength()).putLong(range.partLength());
    }
    return table.array();
  }

  static long tableEnd(int partitions) {
    return HEADER_BYTES + (long) ENTRY_BYTES * partitions;
  }

  /**
   * Reads the partition count from a header.
   *
   * @param header the first {@link #HEADER_BYTES} bytes of an entry
   * @param source names the entry in messages
   * @param entryLength the stored length of the entry in bytes
   * @return the partition count
   * @throws CorruptMapOutputException if the header is not a complete entry's
   */
  static int partitionCount(byte[] header, String source, long entryLength)
      throws CorruptMapOutputException {
    ByteBuffer buffer = ByteBuffer.wrap(header);
    long magic = buffer.getLong();
    int version = buffer.getInt();
    int count = buffer.getInt();
    long data = buffer.getLong();
    if (magic != MAGIC) {
      throw new CorruptMapOutputException(source + " has no complete map output header (magic "
          + Long.toHexString(magic) + "); the map attempt that wrote it did not finish");
    }
    if (version != VERSION) {
      throw new CorruptMapOutputException(source + " has map output version " + version
          + ", this build reads version " + VERSION);
    }
    if (count < 0 || data < 0 || tableEnd(count) + data > entryLength) {
      throw new CorruptMapOutputException(source + " declares " + count + " partitions and "
          + data + " data bytes but holds only " + entryLength + " bytes");
    }
    return count;
  }

  /**
   * Decodes header and table.
   *
   * @param header the header bytes
   * @param table the table bytes, {@link #ENTRY_BYTES} per partition
   * @return the layout
   */
  static MapOutputLayout decode(byte[] header, byte[] table) {
    long data = ByteBuffer.wrap(header).getLong(16);
    ByteBuffer buffer = ByteBuffer.wrap(table);
    List<PartitionRange> ranges = new ArrayList<>();
    while (buffer.remaining() >= ENTRY_BYTES) {
      ranges.add(new PartitionRange(buffer.getLong(), buffer.getLong(), buffer.getLong()));
    }
    return new MapOutputLayout(ranges, data);
  }
}
