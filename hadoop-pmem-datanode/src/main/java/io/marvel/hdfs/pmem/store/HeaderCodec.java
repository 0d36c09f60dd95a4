package io.marvel.hdfs.pmem.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Encodes block file headers into two alternating 64-byte slots, so that a crash while one slot is
 * written leaves the other intact. A slot holds:
 *
 * <pre>
 *   0  int   magic "MRBK"        4  short version   6  byte state   7  byte unused
 *   8  long  sequence           16  long block id  24  long generation stamp
 *   32 long  data length        40  long data capacity  48 long meta capacity
 *   56 int   unused             60  int  CRC32C of bytes [0, 60)
 * </pre>
 *
 * The valid slot with the higher sequence number is the header. Stateless and thread-safe.
 */
final class HeaderCodec {
  static final int SLOT_BYTES = 64;
  static final int MAGIC = 0x4d52424b;
  /** Version 2: header page at the end of the meta file of a data/meta file pair. */
  static final short VERSION = 2;
  /** Version 1: one file per replica, header page at offset 0 (no longer read). */
  static final short SINGLE_FILE_VERSION = 1;
  private static final int CRC_OFFSET = 60;

  private HeaderCodec() {
  }

  /** A header as stored in one slot, with its sequence number. */
  record Slot(long sequence, BlockFileHeader header) {
  }

  /** @return the 64 bytes of a slot holding {@code header} with {@code sequence} */
  static byte[] encode(BlockFileHeader header, long sequence) {
    ByteBuffer buf = ByteBuffer.allocate(SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(MAGIC).putShort(VERSION).put((byte) header.state().code()).put((byte) 0);
    buf.putLong(sequence).putLong(header.blockId()).putLong(header.generationStamp());
    buf.putLong(header.dataLength()).putLong(header.layout().dataCapacity());
    buf.putLong(header.layout().metaCapacity()).putInt(0);
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, CRC_OFFSET);
    buf.putInt((int) crc.getValue());
    return buf.array();
  }

  /**
   * @param slot 64 bytes
   * @return the slot's header, or empty when it is blank, torn or of another format
   */
  static Optional<Slot> decode(byte[] slot) {
    ByteBuffer buf = ByteBuffer.wrap(slot, 0, SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    CRC32C crc = new CRC32C();
    crc.update(slot, 0, CRC_OFFSET);
    if (buf.getInt(0) != MAGIC || buf.getShort(4) != VERSION
        || buf.getInt(CRC_OFFSET) != (int) crc.getValue()) {
      return Optional.empty();
    }
    try {
      BlockFileState state = BlockFileState.fromCode(buf.get(6));
      BlockFileLayout layout = new BlockFileLayout(buf.getLong(40), buf.getLong(48));
      return Optional.of(new Slot(buf.getLong(8), new BlockFileHeader(state, buf.getLong(16),
          buf.getLong(24), buf.getLong(32), layout)));
    } catch (IllegalArgumentException e) {
      // A checksummed slot with impossible values was written by another format: not ours.
      return Optional.empty();
    }
  }

  /**
   * @param slot the first 64 bytes of a file
   * @return true when they hold a valid header slot of the single-file layout (version 1),
   *     whose files this version refuses rather than misreads
   */
  static boolean isSingleFileHeader(byte[] slot) {
    ByteBuffer buf = ByteBuffer.wrap(slot, 0, SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    CRC32C crc = new CRC32C();
    crc.update(slot, 0, CRC_OFFSET);
    return buf.getInt(0) == MAGIC && buf.getShort(4) == SINGLE_FILE_VERSION
        && buf.getInt(CRC_OFFSET) == (int) crc.getValue();
  }

  /** @return the newer of two decoded slots, or empty when neither is valid */
  static Optional<Slot> newest(Optional<Slot> a, Optional<Slot> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return a.get().sequence() >= b.get().sequence() ? a : b;
  }
}
