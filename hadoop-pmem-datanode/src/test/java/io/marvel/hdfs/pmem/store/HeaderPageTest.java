package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.marvel.pmem.PmemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderPageTest {
  private static final BlockFileLayout LAYOUT = BlockFileLayout.forCapacity(1 << 20, 512);
  private static final Path FILE = Path.of("/pmem/blk_1");

  @Test
  void writesGoOutWithTheNextSequence() throws Exception {
    HeaderPage page = new HeaderPage(BlockFileHeader.free(LAYOUT), 4);
    List<Long> sequences = new ArrayList<>();
    BlockFileHeader rbw = new BlockFileHeader(BlockFileState.RBW, 1, 1001, 0, LAYOUT);
    page.write(rbw, (header, sequence) -> sequences.add(sequence), FILE);
    page.writeLength(0, (header, sequence) -> sequences.add(sequence), FILE);
    page.writeLength(512, (header, sequence) -> sequences.add(sequence), FILE);
    assertEquals(List.of(5L, 6L), sequences, "an unchanged length writes nothing");
    assertEquals(rbw.withLength(512), page.current());
    assertEquals(rbw.withLength(512), page.copy().current());
  }

  @Test
  void aFailedWriteKeepsTheCurrentHeaderAndSequence() throws Exception {
    BlockFileHeader free = BlockFileHeader.free(LAYOUT);
    HeaderPage page = new HeaderPage(free, 1);
    assertThrows(PmemException.class, () -> page.write(free.withLength(10), (header, seq) -> {
      throw new PmemException("msync failed", 5);
    }, FILE));
    assertSame(free, page.current());
    List<Long> sequences = new ArrayList<>();
    page.write(free.withLength(10), (header, sequence) -> sequences.add(sequence), FILE);
    assertEquals(List.of(2L), sequences);
  }

  @Test
  void aHeaderOfAnotherLayoutIsRefusedNamingTheFile() {
    HeaderPage page = new HeaderPage(BlockFileHeader.free(LAYOUT), 1);
    BlockFileHeader other = BlockFileHeader.free(BlockFileLayout.forCapacity(2 << 20, 512));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> page.write(other, (header, sequence) -> { }, FILE));
    assertEquals("header layout " + other.layout() + " does not match file " + FILE + " with "
        + LAYOUT, e.getMessage());
  }
}
