package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlockFileLayoutTest {
  @Test
  void headerPageFollowsTheChecksumsPageAligned() {
    BlockFileLayout layout = BlockFileLayout.forCapacity(128L << 20, 512);
    assertEquals(128L << 20, layout.dataFileLength());
    assertEquals(7 + (128L << 20) / 512 * 4, layout.metaCapacity());
    assertEquals(0, layout.headerOffset() % 4096);
    assertTrue(layout.headerOffset() >= layout.metaCapacity());
    assertEquals(layout.headerOffset() + 4096, layout.metaFileLength());
    assertEquals(layout.dataFileLength() + layout.metaFileLength(), layout.bytesOnVolume());
  }

  @Test
  void unalignedCapacityRoundsTheFileUp() {
    BlockFileLayout layout = BlockFileLayout.forCapacity(1000, 512);
    assertEquals(7 + 2 * 4, layout.metaCapacity());
    assertEquals(4096, layout.dataFileLength());
    assertEquals(4096 + 4096, layout.metaFileLength());
  }

  @Test
  void metaLengthCountsPartialChunks() {
    assertEquals(7, BlockFileLayout.metaLength(512, 4, 0));
    assertEquals(11, BlockFileLayout.metaLength(512, 4, 1));
    assertEquals(11, BlockFileLayout.metaLength(512, 4, 512));
    assertEquals(15, BlockFileLayout.metaLength(512, 4, 513));
  }

  @Test
  void rejectsNonPositiveCapacity() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BlockFileLayout.forCapacity(0, 512));
    assertTrue(e.getMessage().contains("data capacity 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BlockFileLayout.forCapacity(100, 0));
  }
}
