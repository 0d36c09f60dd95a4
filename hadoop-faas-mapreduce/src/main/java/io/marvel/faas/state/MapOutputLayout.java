package io.marvel.faas.state;

import io.marvel.pmem.DurableHeader;
import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The format of a map output in a state store: a header in native-pmem's {@link DurableHeader}
 * slots, a partition table, then Hadoop's map output data (IFile segments, one per partition,
 * exactly as {@code MapTask} wrote them). Little-endian.
 *
 * <pre>
 * 0    header    128 bytes: two 64-byte slots, magic "MVMO", version 2; the one written
 *                (sequence 1, at 64) holds partitions n (int at 16), dataLength (long at 24)
 * 128  n x (offset, rawLength, partLength), 8 bytes each
 * 128 + 24n  data
 * </pre>
 *
 * Writers make the table and data durable before the header, so a valid header (magic,
 * version, CRC) means the whole entry is complete. Immutable and thread-safe.
 */
final class MapOutputLayout {
  static final int MAGIC = 0x4f4d564d;
  static final short VERSION = 2;
  static final int HEADER_BYTES = DurableHeader.BYTES;
  static final int ENTRY_BYTES = 24;
  /** A map output's header is written once. */
  private static final long SEQUENCE = 1;
  private static final DurableHeader<Counts> HEADER =
      new DurableHeader<>(MAGIC, VERSION, new CountFields());

  /** What the header records. */
  private record Counts(int partitions, long dataLength) {
  }

  private static final class CountFields implements DurableHeader.Fields<Counts> {
    @Override
    public void put(Counts counts, ByteBuffer slot) {
      slot.putInt(16, counts.partitions()).putLong(24, counts.dataLength());
    }

    @Override
    public Optional<Counts> get(ByteBuffer slot) {
      return Optional.of(new Counts(slot.getInt(16), slot.getLong(24)));
    }
  }

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

  /** @return the header, {@link #HEADER_BYTES} bytes, for writers of a stream */
  byte[] header() {
    return HEADER.encodeBoth(counts(), SEQUENCE);
  }

  /**
   * Writes the header durably into a region created for this entry (its header bytes zero).
   *
   * @throws PmemException if persisting fails
   */
  void writeHeader(PmemRegion region) throws PmemException {
    HEADER.write(region, 0, counts(), SEQUENCE);
  }

  private Counts counts() {
    return new Counts(partitions.size(), dataLength);
  }

  /** @return the partition table */
  byte[] table() {
    ByteBuffer table = ByteBuffer.allocate(ENTRY_BYTES * partitions.size())
        .order(ByteOrder.LITTLE_ENDIAN);
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
    Counts counts = counts(header, source);
    int count = counts.partitions();
    long data = counts.dataLength();
    if (count < 0 || data < 0 || tableEnd(count) + data > entryLength) {
      throw new CorruptMapOutputException(source + " declares " + count + " partitions and "
          + data + " data bytes but holds only " + entryLength + " bytes");
    }
    return count;
  }

  private static Counts counts(byte[] header, String source)
      throws CorruptMapOutputException {
    return HEADER.newest(header).orElseThrow(() -> new CorruptMapOutputException(source
        + " has no complete map output header of version " + VERSION + "; the map attempt that"
        + " wrote it did not finish (or another Marvel version wrote it)")).value();
  }

  /**
   * Decodes header and table.
   *
   * @param header the header bytes
   * @param table the table bytes, {@link #ENTRY_BYTES} per partition
   * @return the layout
   * @throws CorruptMapOutputException if the header is not a complete entry's
   */
  static MapOutputLayout decode(byte[] header, byte[] table) throws CorruptMapOutputException {
    long data = counts(header, "map output").dataLength();
    ByteBuffer buffer = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
    List<PartitionRange> ranges = new ArrayList<>();
    while (buffer.remaining() >= ENTRY_BYTES) {
      ranges.add(new PartitionRange(buffer.getLong(), buffer.getLong(), buffer.getLong()));
    }
    return new MapOutputLayout(ranges, data);
  }
}
