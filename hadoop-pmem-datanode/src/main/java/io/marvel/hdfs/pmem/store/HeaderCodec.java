package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.DurableHeader;
import io.marvel.pmem.DurableHeader.Versioned;
import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The block file header in native-pmem's {@link DurableHeader} slots (two alternating 64-byte
 * slots, so that a crash while one is written leaves the other intact). Besides the slot's
 * magic "MRBK", version and sequence, a slot holds:
 *
 * <pre>
 *   6  byte state               7  byte unused
 *   16 long block id           24  long generation stamp
 *   32 long data length        40  long data capacity  48 long meta capacity
 *   56 int  unused
 * </pre>
 *
 * The valid slot with the higher sequence number is the header. Stateless and thread-safe.
 */
final class HeaderCodec implements DurableHeader.Fields<BlockFileHeader> {
  static final int SLOT_BYTES = DurableHeader.SLOT_BYTES;
  static final int MAGIC = 0x4d52424b;
  /** Version 2: header page at the end of the meta file of a data/meta file pair. */
  static final short VERSION = 2;
  /** Version 1: one file per replica, header page at offset 0 (no longer read). */
  static final short SINGLE_FILE_VERSION = 1;

  private static final DurableHeader<BlockFileHeader> HEADER =
      new DurableHeader<>(MAGIC, VERSION, new HeaderCodec());
  private static final DurableHeader<BlockFileHeader> SINGLE_FILE_HEADER =
      new DurableHeader<>(MAGIC, SINGLE_FILE_VERSION, new HeaderCodec());

  private HeaderCodec() {
  }

  @Override
  public void put(BlockFileHeader header, ByteBuffer slot) {
    slot.put(6, (byte) header.state().code());
    slot.putLong(16, header.blockId()).putLong(24, header.generationStamp());
    slot.putLong(32, header.dataLength()).putLong(40, header.layout().dataCapacity());
    slot.putLong(48, header.layout().metaCapacity());
  }

  @Override
  public Optional<BlockFileHeader> get(ByteBuffer slot) {
    try {
      BlockFileState state = BlockFileState.fromCode(slot.get(6));
      BlockFileLayout layout = new BlockFileLayout(slot.getLong(40), slot.getLong(48));
      return Optional.of(new BlockFileHeader(state, slot.getLong(16), slot.getLong(24),
          slot.getLong(32), layout));
    } catch (IllegalArgumentException e) {
      // A checksummed slot with impossible values was written by another format: not ours.
      return Optional.empty();
    }
  }

  /** @return the 64 bytes of a slot holding {@code header} with {@code sequence} */
  static byte[] encode(BlockFileHeader header, long sequence) {
    return HEADER.encode(header, sequence);
  }

  /**
   * @param slot 64 bytes
   * @return the slot's header, or empty when it is blank, torn or of another format
   */
  static Optional<Versioned<BlockFileHeader>> decode(byte[] slot) {
    return HEADER.decode(slot);
  }

  /** @return the newest valid header of the header page at {@code offset} of the meta file */
  static Optional<Versioned<BlockFileHeader>> read(PmemRegion meta, long offset) {
    return HEADER.read(meta, offset);
  }

  /** Durably writes {@code header} with {@code sequence} into the header page at offset. */
  static void write(PmemRegion meta, long offset, BlockFileHeader header, long sequence)
      throws PmemException {
    HEADER.write(meta, offset, header, sequence);
  }

  /**
   * @param slot the first 64 bytes of a file
   * @return true when they hold a valid header slot of the single-file layout (version 1),
   *     whose files this version refuses rather than misreads
   */
  static boolean isSingleFileHeader(byte[] slot) {
    return SINGLE_FILE_HEADER.isValid(slot, 0);
  }
}
