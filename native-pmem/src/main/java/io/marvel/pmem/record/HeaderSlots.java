package io.marvel.pmem.record;

import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Stores a {@link RegionHeader} crash-safely in the first {@link #SIZE} bytes of a region.
 *
 * <p>There are two 64-byte slots, one per cache line. A commit writes the slot the current
 * header does not occupy, with the next sequence number and a CRC32C over the slot, and persists
 * it; recovery takes the valid slot with the highest sequence. A crash during a commit leaves the
 * previous header intact in the other slot, and a torn slot fails its checksum. Callers persist
 * their data before committing a length that covers it, so a header never claims bytes that were
 * not persisted.
 *
 * <p>Not thread-safe: one writer commits at a time; reading concurrently with a commit may see
 * either header.
 */
public final class HeaderSlots {
  /** Bytes reserved at the start of a region for the header. */
  public static final int SIZE = 128;
  private static final int SLOT = 64;
  private static final int PAYLOAD = 32;

  private HeaderSlots() {
  }

  /**
   * Writes a fresh header (sequence 1, nothing persisted) and persists it; the other slot is
   * cleared so an older header cannot come back.
   *
   * @return the written header
   * @throws PmemException if persisting fails
   */
  public static RegionHeader format(PmemRegion region, long magic, int version)
      throws PmemException {
    checkSize(region);
    region.fill(SLOT, SLOT, (byte) 0, true);
    RegionHeader header = new RegionHeader(magic, version, 1, 0);
    writeSlot(region, header);
    return header;
  }

  /**
   * Persists {@code next} over the older slot. {@code next} must come from {@link
   * RegionHeader#next} of the current header.
   *
   * @throws PmemException if persisting fails
   */
  public static void commit(PmemRegion region, RegionHeader next) throws PmemException {
    checkSize(region);
    writeSlot(region, next);
  }

  /**
   * Reads the newest valid header.
   *
   * @param expectedMagic the owner's magic
   * @return the header
   * @throws IOException naming the file if neither slot holds a valid header with that magic
   */
  public static RegionHeader read(PmemRegion region, long expectedMagic) throws IOException {
    checkSize(region);
    RegionHeader a = readSlot(region, 0);
    RegionHeader b = readSlot(region, SLOT);
    RegionHeader newest = a == null ? b : b == null || a.sequence() > b.sequence() ? a : b;
    if (newest == null) {
      throw new IOException("no valid header in " + region.path()
          + ": the file was never formatted or both header slots are damaged");
    }
    if (newest.magic() != expectedMagic) {
      throw new IOException(String.format("%s holds format 0x%x, expected 0x%x: not a file of "
          + "this kind", region.path(), newest.magic(), expectedMagic));
    }
    if (newest.persistedLength() > region.length() - SIZE) {
      throw new IOException("header of " + region.path() + " claims " + newest.persistedLength()
          + " bytes but the file holds only " + (region.length() - SIZE) + " after its header");
    }
    return newest;
  }

  private static void writeSlot(PmemRegion region, RegionHeader header) throws PmemException {
    ByteBuffer slot = ByteBuffer.allocate(SLOT).order(ByteOrder.LITTLE_ENDIAN);
    slot.putLong(header.magic()).putInt(header.version()).putInt(0)
        .putLong(header.sequence()).putLong(header.persistedLength());
    slot.putLong(PAYLOAD, checksum(slot.array()));
    region.writeDurable(slotOffset(header.sequence()), slot.array(), 0, SLOT);
  }

  private static RegionHeader readSlot(PmemRegion region, long offset) {
    ByteBuffer slot = ByteBuffer.allocate(SLOT).order(ByteOrder.LITTLE_ENDIAN);
    region.read(offset, slot.array(), 0, SLOT);
    if (slot.getLong(PAYLOAD) != checksum(slot.array())) {
      return null;
    }
    long magic = slot.getLong(0);
    long sequence = slot.getLong(16);
    long length = slot.getLong(24);
    if (magic == 0 || sequence < 1 || length < 0) {
      return null;
    }
    return new RegionHeader(magic, slot.getInt(8), sequence, length);
  }

  private static long slotOffset(long sequence) {
    return (sequence & 1) == 1 ? 0 : SLOT;
  }

  private static long checksum(byte[] slot) {
    CRC32C crc = new CRC32C();
    crc.update(slot, 0, PAYLOAD);
    // Never 0, so an all-zero slot is invalid.
    return crc.getValue() | (1L << 32);
  }

  private static void checkSize(PmemRegion region) {
    if (region.length() < SIZE) {
      throw new IllegalArgumentException(region.path() + " is " + region.length()
          + " bytes, too small for a " + SIZE + "-byte header");
    }
  }
}
