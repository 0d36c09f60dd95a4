package io.marvel.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableHeaderTest {
  /** A value of two owner's fields; negative lengths are impossible. */
  private static final DurableHeader.Fields<Long> LENGTH = new DurableHeader.Fields<>() {
    @Override
    public void put(Long value, ByteBuffer slot) {
      slot.put(6, (byte) 9).putLong(16, value);
    }

    @Override
    public Optional<Long> get(ByteBuffer slot) {
      long value = slot.getLong(16);
      return value < 0 ? Optional.empty() : Optional.of(value);
    }
  };
  private static final DurableHeader<Long> HEADER =
      new DurableHeader<>(0x12345678, (short) 3, LENGTH);

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void encodesTheDocumentedSlotLittleEndian() {
    ByteBuffer slot = ByteBuffer.wrap(HEADER.encode(77L, 5)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0x12345678, slot.getInt(0));
    assertEquals(3, slot.getShort(4));
    assertEquals(9, slot.get(6));
    assertEquals(5, slot.getLong(8));
    assertEquals(77, slot.getLong(16));
    CRC32C crc = new CRC32C();
    crc.update(slot.array(), 0, 60);
    assertEquals((int) crc.getValue(), slot.getInt(60));
  }

  @Test
  void aTornBlankOrForeignSlotIsNotValid() {
    byte[] encoded = HEADER.encode(1L, 1);
    for (int i = 0; i < DurableHeader.SLOT_BYTES; i++) {
      byte[] torn = encoded.clone();
      torn[i] ^= 1;
      assertTrue(HEADER.decode(torn).isEmpty(), "flipped byte " + i);
    }
    assertTrue(HEADER.decode(new byte[DurableHeader.SLOT_BYTES]).isEmpty());
    assertTrue(new DurableHeader<>(0x12345678, (short) 4, LENGTH).decode(encoded).isEmpty(),
        "another version");
    assertTrue(HEADER.decode(HEADER.encode(-1L, 1)).isEmpty(), "impossible fields");
  }

  @Test
  void theNewerValidSlotWinsAndATornWriteKeepsThePreviousHeader() throws Exception {
    try (PmemRegion region = PmemRegion.create(dir.resolve("h"), 4096)) {
      assertTrue(HEADER.read(region, 1024).isEmpty());
      HEADER.write(region, 1024, 10L, 1);
      HEADER.write(region, 1024, 20L, 2);
      assertEquals(new DurableHeader.Versioned<>(2, 20L), HEADER.read(region, 1024).get());
      HEADER.write(region, 1024, 30L, 3);
      assertEquals(30L, HEADER.read(region, 1024).get().value());
      // A crash tore the write of sequence 4, which went to the slot of sequence 2.
      byte[] torn = HEADER.encode(40L, 4);
      torn[30] ^= 1;
      region.writeDurable(1024 + DurableHeader.slotOffset(4), torn, 0, torn.length);
      assertEquals(new DurableHeader.Versioned<>(3, 30L), HEADER.read(region, 1024).get());
    }
  }

  @Test
  void bothSlotsWrittenAtOnceReadBack() {
    byte[] both = HEADER.encodeBoth(5L, 1);
    assertEquals(DurableHeader.BYTES, both.length);
    assertFalse(HEADER.isValid(both, 0));
    assertTrue(HEADER.isValid(both, DurableHeader.SLOT_BYTES));
    assertEquals(new DurableHeader.Versioned<>(1, 5L), HEADER.newest(both).get());
  }
}
