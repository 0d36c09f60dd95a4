package io.marvel.pmem;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A small header kept crash-safe in a region: two alternating 64-byte slots (one cache line
 * each) at a fixed offset. A write puts the whole header, with the next sequence number and a
 * CRC32C, into the slot the current header does not occupy ({@code sequence % 2}) and persists
 * it; reading takes the valid slot with the higher sequence. A crash during a write leaves the
 * previous header in the other slot, and a torn slot fails its CRC. Callers persist the bytes a
 * header describes before writing the header.
 *
 * <p>A slot, little-endian:
 *
 * <pre>
 *   0  int   magic (the owner's)     4  short version (the owner's)   6  owner's fields (2 bytes)
 *   8  long  sequence               16  owner's fields (44 bytes)
 *   60 int   CRC32C of bytes [0, 60)
 * </pre>
 *
 * The PMEM DataNode's block file header is this slot format (docs/pmem-formats.md).
 * Immutable and thread-safe; writers of one header must not run concurrently.
 *
 * @param <T> the owner's value stored in a slot
 */
public final class DurableHeader<T> {
  /** Bytes of one slot. */
  public static final int SLOT_BYTES = 64;
  /** Bytes of both slots: what a header occupies in its region. */
  public static final int BYTES = 2 * SLOT_BYTES;
  private static final int CRC_OFFSET = 60;

  /**
   * How the owner's value is stored in the owner's bytes of a slot ([6, 8) and [16, 60)).
   *
   * @param <T> the owner's value
   */
  public interface Fields<T> {
    /** Puts {@code value} into the owner's bytes of {@code slot} (absolute puts). */
    void put(T value, ByteBuffer slot);

    /**
     * @return the value in a slot whose magic, version and CRC are right, or empty when its
     *     fields are impossible (written by another format)
     */
    Optional<T> get(ByteBuffer slot);
  }

  /**
   * A valid slot's content.
   *
   * @param sequence the slot's sequence number
   * @param value the owner's value
   * @param <T> the owner's value
   */
  public record Versioned<T>(long sequence, T value) {
  }

  private final int magic;
  private final short version;
  private final Fields<T> fields;

  /**
   * @param magic identifies the owner's format
   * @param version the owner's format version; slots of another version are not valid
   * @param fields stores the owner's value
   */
  public DurableHeader(int magic, short version, Fields<T> fields) {
    this.magic = magic;
    this.version = version;
    this.fields = fields;
  }

  /** @return the 64 bytes of the slot holding {@code value} with {@code sequence} */
  public byte[] encode(T value, long sequence) {
    ByteBuffer slot = ByteBuffer.allocate(SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    slot.putInt(0, magic).putShort(4, version).putLong(8, sequence);
    fields.put(value, slot);
    slot.putInt(CRC_OFFSET, crc(slot.array(), 0));
    return slot.array();
  }

  /**
   * @return both slots ({@link #BYTES} bytes) with {@code value} at {@code sequence}'s slot and
   *     the other one empty: a header written whole, for files written once as a stream
   */
  public byte[] encodeBoth(T value, long sequence) {
    byte[] both = new byte[BYTES];
    System.arraycopy(encode(value, sequence), 0, both, slotOffset(sequence), SLOT_BYTES);
    return both;
  }

  /**
   * @param slot at least 64 bytes
   * @return the slot's content, or empty when it is blank, torn, or of another magic or version
   */
  public Optional<Versioned<T>> decode(byte[] slot) {
    return decode(slot, 0);
  }

  private Optional<Versioned<T>> decode(byte[] bytes, int at) {
    if (!isValid(bytes, at)) {
      return Optional.empty();
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes, at, SLOT_BYTES).slice()
        .asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long sequence = buf.getLong(8);
    return fields.get(buf).map(value -> new Versioned<>(sequence, value));
  }

  /**
   * @param both {@link #BYTES} bytes: the two slots
   * @return the newer valid slot's content, or empty when neither is valid
   */
  public Optional<Versioned<T>> newest(byte[] both) {
    Optional<Versioned<T>> first = decode(both, 0);
    Optional<Versioned<T>> second = decode(both, SLOT_BYTES);
    if (first.isEmpty()) {
      return second;
    }
    if (second.isEmpty()) {
      return first;
    }
    return first.get().sequence() >= second.get().sequence() ? first : second;
  }

  /**
   * Reads the header at {@code offset} of a region.
   *
   * @return the newer valid slot's content, or empty when neither is valid
   * @throws IndexOutOfBoundsException if the header does not fit in the region
   * @throws IllegalStateException if the region is closed
   */
  public Optional<Versioned<T>> read(PmemRegion region, long offset) {
    byte[] both = new byte[BYTES];
    region.read(offset, both, 0, BYTES);
    return newest(both);
  }

  /**
   * Durably writes {@code value} with {@code sequence} into its slot of the header at
   * {@code offset}; durable on return. {@code sequence} must be the current one plus 1.
   *
   * @throws PmemException if persisting fails
   * @throws IndexOutOfBoundsException if the header does not fit in the region
   * @throws IllegalStateException if the region is closed
   */
  public void write(PmemRegion region, long offset, T value, long sequence)
      throws PmemException {
    byte[] slot = encode(value, sequence);
    region.writeDurable(offset + slotOffset(sequence), slot, 0, SLOT_BYTES);
  }

  /**
   * @param bytes holds a slot at {@code at}
   * @return true when it has this magic, this version and a right CRC
   */
  public boolean isValid(byte[] bytes, int at) {
    ByteBuffer buf = ByteBuffer.wrap(bytes, at, SLOT_BYTES).slice()
        .order(ByteOrder.LITTLE_ENDIAN);
    return buf.getInt(0) == magic && buf.getShort(4) == version
        && buf.getInt(CRC_OFFSET) == crc(bytes, at);
  }

  /** @return the offset within the header of the slot that {@code sequence} is written to */
  public static int slotOffset(long sequence) {
    return (int) Math.floorMod(sequence, 2L) * SLOT_BYTES;
  }

  private static int crc(byte[] bytes, int at) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, at, CRC_OFFSET);
    return (int) crc.getValue();
  }
}
