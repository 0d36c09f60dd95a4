package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
  @Test
  void defaultsAreTodaysRun() {
    BenchOptions o = BenchOptions.parse(new String[] {"local", "/tmp/w"});
    assertEquals(256, o.wordcountMib());
    assertEquals(1_000_000, o.terasortRows());
    assertEquals(List.of("wordcount", "terasort", "tiny"), o.jobs());
    assertEquals(-1, o.reducers(2048L << 20), "Hadoop's default reducers");
    assertEquals(false, o.prepareOnly());
    assertEquals(true, BenchOptions.parse(new String[] {"local", "/w", "--prepare-only"})
        .prepareOnly());
  }

  @Test
  void reducersGrowWithTheInputUnderASplitLayout() {
    BenchOptions o = BenchOptions.parse(new String[] {"yarn", "/tmp/w", "--split-mib", "128",
        "--reduce-mib", "512", "--round", "3", "a.b=c"});
    assertEquals(1, o.reducers(100_000_000L));
    assertEquals(1, o.reducers(512L << 20));
    assertEquals(2, o.reducers(1024L << 20));
    assertEquals(4, o.reducers(2_000_000_000L));
    assertEquals(3, o.round());
    assertEquals(List.of("a.b=c"), o.settings());
  }

  @Test
  void terasortsOneFileSplitsByBlockAsFileInputFormatDoes() {
    long block = 128L << 20;
    assertEquals(1, MapReduceBenchmark.fileSplits(100_000_000L, block));
    assertEquals(1, MapReduceBenchmark.fileSplits(140_000_000L, block), "within 1.1 blocks");
    assertEquals(4, MapReduceBenchmark.fileSplits(500_000_000L, block));
    assertEquals(15, MapReduceBenchmark.fileSplits(2_000_000_000L, block));
  }

  @Test
  void badArgumentsAreNamed() {
    assertEquals("--round needs a positive number, got 'x'",
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(
            new String[] {"local", "/w", "--round", "x"})).getMessage());
    assertEquals("unknown job sort in --jobs; known: wordcount, terasort, tiny",
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(
            new String[] {"local", "/w", "--jobs", "wordcount,sort"})).getMessage());
    assertEquals(BenchOptions.USAGE, assertThrows(IllegalArgumentException.class,
        () -> BenchOptions.parse(new String[] {"spark", "/w"})).getMessage());
  }
}
