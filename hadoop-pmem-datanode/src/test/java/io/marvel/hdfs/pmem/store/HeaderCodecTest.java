package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.DurableHeader.Versioned;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class HeaderCodecTest {
  private static final BlockFileLayout LAYOUT = BlockFileLayout.forCapacity(1 << 20, 512);

  @Test
  void roundTripsEveryField() {
    BlockFileHeader header = new BlockFileHeader(BlockFileState.RBW, 1073741825L, 1001, 4096,
        LAYOUT);
    Optional<Versioned<BlockFileHeader>> slot =
        HeaderCodec.decode(HeaderCodec.encode(header, 7));
    assertEquals(7, slot.orElseThrow().sequence());
    assertEquals(header, slot.orElseThrow().value());
  }

  @Test
  void writesAndReadsTheDocumentedVersion2Slot() {
    // The bytes docs/pmem-formats.md describes, built field by field: block files written by
    // earlier builds must stay readable, so the codec may never drift from them.
    ByteBuffer expected = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    expected.putInt(0x4d52424b).putShort((short) 2).put((byte) 3).put((byte) 0);
    expected.putLong(42).putLong(1073741825L).putLong(1001).putLong(4096)
        .putLong(LAYOUT.dataCapacity()).putLong(LAYOUT.metaCapacity()).putInt(0);
    CRC32C crc = new CRC32C();
    crc.update(expected.array(), 0, 60);
    expected.putInt((int) crc.getValue());
    BlockFileHeader header = new BlockFileHeader(BlockFileState.FINALIZED, 1073741825L, 1001,
        4096, LAYOUT);
    assertArrayEquals(expected.array(), HeaderCodec.encode(header, 42));
    assertEquals(new Versioned<>(42L, header), HeaderCodec.decode(expected.array()).get());
  }

  @Test
  void rejectsTornOrBlankSlots() {
    byte[] encoded = HeaderCodec.encode(BlockFileHeader.free(LAYOUT), 1);
    for (int i = 0; i < HeaderCodec.SLOT_BYTES; i++) {
      byte[] torn = encoded.clone();
      torn[i] ^= 0x40;
      assertTrue(HeaderCodec.decode(torn).isEmpty(), "flipped byte " + i);
    }
    assertTrue(HeaderCodec.decode(new byte[HeaderCodec.SLOT_BYTES]).isEmpty());
  }
}
