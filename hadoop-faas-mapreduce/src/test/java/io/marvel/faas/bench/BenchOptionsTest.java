package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void aSplitMaxSizeCutsTheInputAsHadoopsFileInputFormatDoes(@TempDir Path dir)
      throws Exception {
    // 2.5 MiB in files of 1 MiB (the last one half of it), 1 MiB blocks, splits of 300 KiB.
    Configuration conf = new Configuration(false);
    conf.setLong("fs.local.block.size", 1 << 20);
    conf.setLong(FileInputFormat.SPLIT_MAXSIZE, 300 << 10);
    for (int i = 0; i < 3; i++) {
      Files.write(dir.resolve("part-" + i), new byte[i < 2 ? 1 << 20 : 1 << 19]);
    }
    Job job = Job.getInstance(conf);
    FileInputFormat.addInputPath(job, new org.apache.hadoop.fs.Path(dir.toUri()));
    int hadoops = new TextInputFormat().getSplits(job).size();
    long split = MapReduceBenchmark.splitBytes(conf, 1 << 20);
    assertEquals(300 << 10, split);
    assertEquals(hadoops, MapReduceBenchmark.splits(5L << 19, 1 << 20, split));
    assertEquals(10, hadoops);
    // Without the setting the split is the block.
    assertEquals(128L << 20, MapReduceBenchmark.splitBytes(new Configuration(false), 128L << 20));
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
