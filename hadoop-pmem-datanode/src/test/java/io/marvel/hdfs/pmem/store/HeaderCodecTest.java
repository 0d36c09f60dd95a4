package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeaderCodecTest {
  private static final BlockFileLayout LAYOUT = BlockFileLayout.forCapacity(1 << 20, 512);

  @Test
  void roundTripsEveryField() {
    BlockFileHeader header = new BlockFileHeader(BlockFileState.RBW, 1073741825L, 1001, 4096,
        LAYOUT);
    Optional<HeaderCodec.Slot> slot = HeaderCodec.decode(HeaderCodec.encode(header, 7));
    assertEquals(7, slot.orElseThrow().sequence());
    assertEquals(header, slot.orElseThrow().header());
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

  @Test
  void newestValidSlotWins() {
    Optional<HeaderCodec.Slot> older = HeaderCodec.decode(
        HeaderCodec.encode(BlockFileHeader.free(LAYOUT), 4));
    Optional<HeaderCodec.Slot> newer = HeaderCodec.decode(
        HeaderCodec.encode(BlockFileHeader.free(LAYOUT).withLength(10), 5));
    assertEquals(newer, HeaderCodec.newest(older, newer));
    assertEquals(newer, HeaderCodec.newest(newer, older));
    assertEquals(older, HeaderCodec.newest(older, Optional.empty()));
    assertTrue(HeaderCodec.newest(Optional.empty(), Optional.empty()).isEmpty());
  }
}
