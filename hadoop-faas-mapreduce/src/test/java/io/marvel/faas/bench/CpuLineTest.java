package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CpuLineTest {
  @Test
  void readsBackWhatItWrites() {
    CpuLine line = new CpuLine(3, "hosts-disk", "wordcount", 10.5, 2.25, 0.75, 920);
    assertEquals("CPU round=3 mode=hosts-disk job=wordcount containers=10.50 hdfs=2.25"
        + " rest=0.75 hdfs_faults=920", line.toLine());
    assertEquals(line, CpuLine.parse(line.toLine()));
  }

  @Test
  void aLineFromBeforeTheFaultsHasNone() {
    assertEquals(-1, CpuLine.parse("CPU round=1 mode=hosts-pmem job=terasort containers=8.80"
        + " hdfs=4.20 rest=1.85").hdfsFaults());
  }

  @Test
  void namesTheLineItCannotRead() {
    assertEquals("not a CPU line: CPU round=1 mode=x job=y containers=1", assertThrows(
        IllegalArgumentException.class,
        () -> CpuLine.parse("CPU round=1 mode=x job=y containers=1")).getMessage());
  }
}
