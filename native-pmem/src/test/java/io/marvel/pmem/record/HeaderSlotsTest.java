package io.marvel.pmem.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.PmemRegion;
import io.marvel.pmem.ShmTempDirFactory;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeaderSlotsTest {
  private static final long MAGIC = 0x4d5654455354L;

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void formatThenCommitsAreReadBackNewestFirst() throws Exception {
    try (PmemRegion region = PmemRegion.create(dir.resolve("h"), 4096)) {
      RegionHeader header = HeaderSlots.format(region, MAGIC, 3);
      assertEquals(new RegionHeader(MAGIC, 3, 1, 0), HeaderSlots.read(region, MAGIC));
      for (long length = 100; length <= 500; length += 100) {
        header = header.next(length);
        HeaderSlots.commit(region, header);
        assertEquals(header, HeaderSlots.read(region, MAGIC));
      }
      assertEquals(6, header.sequence());
    }
  }

  @Test
  void aTornNewestSlotFallsBackToThePreviousHeader() throws Exception {
    try (PmemRegion region = PmemRegion.create(dir.resolve("torn"), 4096)) {
      RegionHeader first = HeaderSlots.format(region, MAGIC, 1).next(100);
      HeaderSlots.commit(region, first);
      RegionHeader second = first.next(200);
      HeaderSlots.commit(region, second);
      // Sequence 3 lives in slot 0; tear its length field as a crash mid-write would.
      region.writeDurable(24, new byte[] {(byte) 0xff}, 0, 1);
      assertEquals(first, HeaderSlots.read(region, MAGIC));
    }
  }

  @Test
  void wrongMagicAndUnformattedFilesAreNamed() throws Exception {
    try (PmemRegion region = PmemRegion.create(dir.resolve("blank"), 4096)) {
      IOException blank = assertThrows(IOException.class, () -> HeaderSlots.read(region, MAGIC));
      assertTrue(blank.getMessage().contains("no valid header in " + region.path()),
          blank.getMessage());
      HeaderSlots.format(region, MAGIC, 1);
      IOException other = assertThrows(IOException.class, () -> HeaderSlots.read(region, 7));
      assertTrue(other.getMessage().contains("not a file of this kind"), other.getMessage());
    }
  }

  @Test
  void aHeaderClaimingMoreThanTheFileIsRejected() throws Exception {
    try (PmemRegion region = PmemRegion.create(dir.resolve("claims"), 4096)) {
      HeaderSlots.commit(region, HeaderSlots.format(region, MAGIC, 1).next(10_000));
      IOException e = assertThrows(IOException.class, () -> HeaderSlots.read(region, MAGIC));
      assertTrue(e.getMessage().contains("claims 10000 bytes"), e.getMessage());
    }
  }
}
