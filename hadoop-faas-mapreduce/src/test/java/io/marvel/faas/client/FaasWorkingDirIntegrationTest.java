package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.whisk.platform.EmbeddedWhisk;
import io.marvel.whisk.platform.settings.PlatformSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.examples.terasort.TeraGen;
import org.apache.hadoop.examples.terasort.TeraSort;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.streaming.StreamJob;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed-cache links in the working directory of container JVMs, where task code opens
 * them by relative name: two TeraSorts whose partition files share the name
 * {@code _partition.lst} interleave on one warm container and each reads its own; a file one
 * job's task left in the container is gone when the next job's task runs there; a Hadoop
 * Streaming job runs python scripts shipped with {@code -files} (no {@code #fragment}), which
 * are linked under their own names as YARN links them. Outputs equal {@code local}'s.
 */
class FaasWorkingDirIntegrationTest extends FaasClusterHarness {
  private static final int ACTION_MB = 512;

  @Test
  void twoTeraSortsInterleavedOnOneWarmContainerEachReadTheirOwnPartitionFile(
      @TempDir java.nio.file.Path tmp) throws Exception {
    // Different row counts give different samples, so different split points.
    teraGen("/iso/in-a", 3000);
    teraGen("/iso/in-b", 5000);
    for (String job : new String[] {"a", "b"}) {
      assertEquals(0, ToolRunner.run(sortConf(conf("local"), job), new TeraSort(),
          new String[] {"/iso/in-" + job, "/iso/local-" + job}));
    }
    try (EmbeddedWhisk whisk = oneContainerPlatform(tmp)) {
      Configuration conf = conf(whisk);
      // Each job keeps two activations waiting, so the other job's activations queue between.
      conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, 2);
      ExecutorService drivers = Executors.newFixedThreadPool(2);
      try {
        List<Future<Integer>> sorts = new ArrayList<>();
        for (String job : new String[] {"a", "b"}) {
          sorts.add(drivers.submit(() -> ToolRunner.run(sortConf(new Configuration(conf), job),
              new TeraSort(),
              new String[] {"/iso/in-" + job, "/iso/faas-" + job})));
          // TeraInputFormat caches splits in statics: two TeraSort drivers of one JVM must not
          // sample or submit at once. A submitted job has a status file in the registry.
          awaitSubmittedJobs(sorts.size());
        }
        for (Future<Integer> sort : sorts) {
          assertEquals(0, sort.get(5, TimeUnit.MINUTES));
        }
      } finally {
        drivers.shutdownNow();
      }
    }
    assertInterleavedOnOneContainer();
    for (String job : new String[] {"a", "b"}) {
      assertSamePartFiles(new Path("/iso/local-" + job), new Path("/iso/faas-" + job));
    }
  }

  /**
   * A platform of its own whose pool holds exactly one container: every activation runs in it,
   * one at a time, in the order jobs ask for them.
   */
  private static EmbeddedWhisk oneContainerPlatform(java.nio.file.Path tmp) throws IOException {
    return EmbeddedWhisk.start(PlatformSettings.builder(tmp.resolve("whisk"))
        .poolMemoryMb(ACTION_MB).inheritModuleOptions().build());
  }

  private Configuration conf(EmbeddedWhisk whisk) {
    Configuration conf = conf("faas");
    conf.set(FaasConfigKeys.LAUNCHER_KEY, "openwhisk");
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, whisk.apiHost().toString());
    conf.set(FaasConfigKeys.OPENWHISK_AUTH_KEY, whisk.authKey());
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, ACTION_MB);
    return conf;
  }

  private void awaitSubmittedJobs(int count) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      try (Stream<java.nio.file.Path> files = Files.list(summaryDir)) {
        if (files.filter(f -> f.getFileName().toString().endsWith(".status")).count()
            >= count) {
          return;
        }
      }
      assertTrue(System.nanoTime() < deadline, "job " + count + " was not submitted in 2 min");
      Thread.sleep(20);
    }
  }

  private void teraGen(String dir, int rows) throws Exception {
    assertEquals(0, ToolRunner.run(conf("local"), new TeraGen(),
        new String[] {Integer.toString(rows), dir}));
  }

  /**
   * Several maps per job and three reducers. Job a, submitted first, has 19 maps (16 KiB splits
   * of 100-byte rows) so that it still has maps to run when job b, whose client samples and
   * stages only once a is submitted, asks for its first (b has 8 of 64 KiB).
   */
  private static Configuration sortConf(Configuration conf, String job) {
    conf.setLong(FileInputFormat.SPLIT_MAXSIZE, job.equals("a") ? 16 * 1024 : 64 * 1024);
    conf.setInt("mapreduce.job.reduces", 3);
    return conf;
  }

  /**
   * Fails unless a map of one job ran after a map of the other that ran after a map of the
   * first, all in one container: the sequence that mixed the jobs' partition files.
   */
  private void assertInterleavedOnOneContainer() throws IOException {
    List<JsonObject> maps = new ArrayList<>();
    try (Stream<java.nio.file.Path> files = Files.list(summaryDir)) {
      for (java.nio.file.Path file : (Iterable<java.nio.file.Path>) files
          .filter(f -> f.getFileName().toString().endsWith(".json"))::iterator) {
        JsonObject summary = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        for (JsonElement a : summary.getAsJsonArray("attempts")) {
          if (a.getAsJsonObject().get("attemptId").getAsString().contains("_m_")) {
            maps.add(a.getAsJsonObject());
          }
        }
      }
    }
    maps.sort(Comparator.comparingLong(a -> a.get("startMs").getAsLong()));
    List<String> order = new ArrayList<>();
    for (JsonObject map : maps) {
      order.add(jobOf(map) + "@" + map.get("container").getAsString());
    }
    assertEquals(1, maps.stream().map(m -> m.get("container").getAsString()).distinct().count(),
        "all maps ran in the one container: " + order);
    String first = jobOf(maps.get(0));
    int stage = 0;
    for (JsonObject map : maps) {
      boolean firstJob = jobOf(map).equals(first);
      if (stage == 0 && !firstJob || stage == 1 && firstJob) {
        stage++;
      }
    }
    assertEquals(2, stage, "the jobs' maps did not interleave on the container: " + order);
  }

  private static String jobOf(JsonObject attempt) {
    String id = attempt.get("attemptId").getAsString();
    return id.substring("attempt_".length(), id.indexOf("_m_"));
  }

  /** Each part file equals its counterpart: the split points, not only the order, match. */
  private static void assertSamePartFiles(Path local, Path faas) throws IOException {
    String[] names = partNames(local);
    assertTrue(names.length == 3, Arrays.toString(names));
    assertArrayEquals(names, partNames(faas), "part files of " + faas);
    for (String name : names) {
      assertArrayEquals(read(new Path(local, name)), read(new Path(faas, name)),
          faas + "/" + name + " differs from local's: the job partitioned by other split points");
    }
  }

  private static String[] partNames(Path dir) throws IOException {
    return Arrays.stream(fs.listStatus(dir, p -> p.getName().startsWith("part-")))
        .map(FileStatus::getPath).map(Path::getName).sorted().toArray(String[]::new);
  }

  private static byte[] read(Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aFileOneJobsTaskLeftInTheContainerIsGoneWhenTheNextJobsTaskRuns(
      @TempDir java.nio.file.Path tmp) throws Exception {
    writeTwelveWords(new Path("/left/in"));
    write(new Path("/left/notes.txt"), "shipped with job 2\n");
    try (EmbeddedWhisk whisk = oneContainerPlatform(tmp)) {
      assertSucceeds(mapOnly(conf(whisk), NotesWritingMapper.class, "/left/out-1"));
      Job second = mapOnly(conf(whisk), NotesReadingMapper.class, "/left/out-2");
      second.addCacheFile(fs.makeQualified(new Path("/left/notes.txt")).toUri());
      assertSucceeds(second);
    }
    assertEquals("shipped with job 2\nshipped with job 2\n",
        new String(output(new Path("/left/out-2")), StandardCharsets.UTF_8));
  }

  private Job mapOnly(Configuration conf, Class<? extends Mapper<?, ?, ?, ?>> mapper, String out)
      throws IOException {
    Job job = Job.getInstance(conf, mapper.getSimpleName());
    job.setJarByClass(getClass());
    job.setMapperClass(mapper);
    job.setNumReduceTasks(0);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(NullWritable.class);
    FileInputFormat.addInputPath(job, new Path("/left/in"));
    FileOutputFormat.setOutputPath(job, new Path(out));
    return job;
  }

  /** Writes notes.txt into its working directory, as a task may, and leaves it there. */
  public static class NotesWritingMapper extends Mapper<LongWritable, Text, Text, NullWritable> {
    @Override
    protected void setup(Context context) throws IOException {
      Files.writeString(java.nio.file.Path.of("notes.txt"), "left by job 1\n");
    }

    @Override
    protected void map(LongWritable key, Text value, Context context) {
      // Nothing to emit.
    }
  }

  /** Emits, once per map, the first line of notes.txt of its working directory. */
  public static class NotesReadingMapper extends Mapper<LongWritable, Text, Text, NullWritable> {
    @Override
    protected void map(LongWritable key, Text value, Context context) {
      // Only cleanup emits.
    }

    @Override
    protected void cleanup(Context context) throws IOException, InterruptedException {
      String notes = Files.readAllLines(java.nio.file.Path.of("notes.txt")).get(0);
      context.write(new Text(notes), NullWritable.get());
    }
  }

  @Test
  void streamingWordCountWithPythonScriptsShippedByFilesMatchesLocal(
      @TempDir java.nio.file.Path tmp) throws Exception {
    assertPython3();
    java.nio.file.Path mapper = Files.writeString(tmp.resolve("mapper.py"), """
        import sys
        for line in sys.stdin:
            for word in line.split():
                print(word + "\\t1")
        """);
    java.nio.file.Path reducer = Files.writeString(tmp.resolve("reducer.py"), """
        import sys
        word, total = None, 0
        for line in sys.stdin:
            key, count = line.rstrip("\\n").split("\\t")
            if key != word and word is not None:
                print(word + "\\t" + str(total))
                total = 0
            word, total = key, total + int(count)
        if word is not None:
            print(word + "\\t" + str(total))
        """);
    writeTwelveWords(new Path("/streaming/in"));
    write(new Path("/streaming/in/c.txt"), "one two two\nthree three three\n");
    String files = mapper.toUri() + "," + reducer.toUri();
    for (String fw : new String[] {"local", "faas"}) {
      Configuration conf = "faas".equals(fw) ? embeddedPlatformConf() : conf(fw);
      assertEquals(0, ToolRunner.run(conf, new StreamJob(), new String[] {
          "-files", files, "-input", "/streaming/in", "-output", "/streaming/out-" + fw,
          "-mapper", "python3 mapper.py", "-reducer", "python3 reducer.py",
          "-numReduceTasks", "2"}), "streaming word count under " + fw);
    }
    assertSameOutput(new Path("/streaming/out-local"), new Path("/streaming/out-faas"));
    String output = new String(output(new Path("/streaming/out-faas")), StandardCharsets.UTF_8);
    assertTrue(output.contains("three\t4") && output.contains("two\t3"), output);
  }

  private static void assertPython3() throws IOException, InterruptedException {
    Process python;
    try {
      python = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("python3 is not on the PATH; this test runs a Hadoop Streaming"
          + " job with python scripts: install it (apt-get install python3)", e);
    }
    python.getInputStream().readAllBytes();
    assertEquals(0, python.waitFor(), "python3 --version");
  }
}
