package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.faas.FaasConfigKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileAlreadyExistsException;
import org.apache.hadoop.mapreduce.Cluster;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobCounter;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.InvalidInputException;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Failing tasks, retries, bad submissions and killJob under the faas framework. */
class FaasFailuresIntegrationTest extends FaasClusterHarness {
  private static final Path INPUT = new Path("/failures/in");
  private static final Pattern ACTIVATION = Pattern.compile("activation [0-9a-f]{32}");
  static volatile CountDownLatch mapStarted;
  static volatile CountDownLatch mapRelease;

  @BeforeAll
  static void writeInput() throws IOException {
    writeTwelveWords(INPUT);
  }

  private Job job(Configuration conf, Class<? extends Mapper<?, ?, ?, ?>> mapper, String out)
      throws IOException {
    Job job = Job.getInstance(conf, "failures");
    job.setJarByClass(getClass());
    job.setMapperClass(mapper);
    job.setReducerClass(CountReducer.class);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(IntWritable.class);
    job.setNumReduceTasks(1);
    FileInputFormat.addInputPath(job, INPUT);
    FileOutputFormat.setOutputPath(job, new Path(out));
    return job;
  }

  @Test
  void mapperThrowingFailsJobWithExceptionTextAndActivationId() throws Exception {
    Configuration conf = conf("faas");
    conf.setInt("mapreduce.map.maxattempts", 2);
    Job job = job(conf, ThrowingMapper.class, "/failures/out-throw");
    assertFalse(job.waitForCompletion(false));
    String info = job.getStatus().getFailureInfo();
    assertEquals(JobStatus.State.FAILED, job.getStatus().getState());
    assertTrue(info.contains("mapper refuses record"), info);
    assertTrue(ACTIVATION.matcher(info).find(), info);
    assertTrue(info.contains("failed 2 times"), info);
    assertArrayEquals(new String[0], stateLeft());
    assertFalse(fs.exists(new Path("/failures/out-throw/_SUCCESS")));
  }

  @Test
  void reporterThreadsOfFailedAttemptsEndInsteadOfPingingForever() throws Exception {
    // The in-JVM launcher runs attempts on threads of this JVM, as a warm container does.
    Configuration conf = conf("faas");
    conf.setInt("mapreduce.map.maxattempts", 2);
    conf.setLong("mapreduce.task.progress-report.interval", 100);
    Job job = job(conf, ThrowingMapper.class, "/failures/out-reporters");
    assertFalse(job.waitForCompletion(false));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!reporterThreads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(List.of(), reporterThreads(), "Hadoop's task reporter threads still running");
  }

  private static List<String> reporterThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals("communication thread"))
        .map(Thread::toString).toList();
  }

  @Test
  void failedAttemptIsRetriedAndOutputIsNotDuplicated() throws Exception {
    Job job = job(conf("faas"), FirstAttemptFailsMapper.class, "/failures/out-retry");
    job.setReducerClass(FirstAttemptFailsReducer.class);
    assertSucceeds(job);
    String output = new String(output(new Path("/failures/out-retry")),
        StandardCharsets.UTF_8);
    assertEquals(12, output.lines().count(), output);
    JsonObject summary = JsonParser.parseString(Files.readString(
        summaryDir.resolve(job.getJobID() + ".json"))).getAsJsonObject();
    int failed = 0;
    for (JsonElement attempt : summary.getAsJsonArray("attempts")) {
      if (!attempt.getAsJsonObject().get("succeeded").getAsBoolean()) {
        failed++;
        assertTrue(attempt.getAsJsonObject().get("attemptId").getAsString().endsWith("_0"));
      }
    }
    assertEquals(3, failed, "both maps and the reduce failed once and were retried");
    assertTrue(Files.exists(summaryDir.resolve(job.getJobID() + "-timeline.html")));
    assertJobCounters(job.getCounters(), FaasConfigKeys.ACTION_MEMORY_MB_DEFAULT);
    // What another client (mapred job -counter) reads, through a Cluster of its own.
    assertJobCounters(new Cluster(conf("faas")).getJob(job.getJobID()).getCounters(),
        FaasConfigKeys.ACTION_MEMORY_MB_DEFAULT);
  }

  /** Both maps and the reduce failed once: YARN's application master would count this. */
  private static void assertJobCounters(Counters counters, int memoryMb) {
    assertEquals(4, counters.findCounter(JobCounter.TOTAL_LAUNCHED_MAPS).getValue());
    assertEquals(2, counters.findCounter(JobCounter.NUM_FAILED_MAPS).getValue());
    assertEquals(0, counters.findCounter(JobCounter.NUM_KILLED_MAPS).getValue());
    assertEquals(2, counters.findCounter(JobCounter.TOTAL_LAUNCHED_REDUCES).getValue());
    assertEquals(1, counters.findCounter(JobCounter.NUM_FAILED_REDUCES).getValue());
    long mapMs = counters.findCounter(JobCounter.MILLIS_MAPS).getValue();
    long reduceMs = counters.findCounter(JobCounter.MILLIS_REDUCES).getValue();
    assertTrue(mapMs > 0 && reduceMs > 0, mapMs + " ms of maps, " + reduceMs + " of reduces");
    assertEquals(memoryMb * mapMs, counters.findCounter(JobCounter.MB_MILLIS_MAPS).getValue());
    assertEquals(memoryMb * reduceMs,
        counters.findCounter(JobCounter.MB_MILLIS_REDUCES).getValue());
    assertEquals(mapMs, counters.findCounter(JobCounter.VCORES_MILLIS_MAPS).getValue());
    assertEquals(reduceMs, counters.findCounter(JobCounter.VCORES_MILLIS_REDUCES).getValue());
  }

  @Test
  void missingInputFailsAtSubmission() throws Exception {
    Job job = job(conf("faas"), CountMapper.class, "/failures/out-missing");
    FileInputFormat.setInputPaths(job, new Path("/failures/no-such-input"));
    InvalidInputException e = assertThrows(InvalidInputException.class, job::submit);
    assertTrue(e.getMessage().contains("no-such-input"), e.getMessage());
    assertArrayEquals(new String[0], stateLeft());
  }

  @Test
  void existingOutputFailsAtSubmission() throws Exception {
    fs.mkdirs(new Path("/failures/out-exists"));
    Job job = job(conf("faas"), CountMapper.class, "/failures/out-exists");
    FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, job::submit);
    assertTrue(e.getMessage().contains("out-exists"), e.getMessage());
    assertArrayEquals(new String[0], stateLeft());
  }

  @Test
  void missingJobClassFailsAtSubmission() throws Exception {
    Job job = job(conf("faas"), CountMapper.class, "/failures/out-noclass");
    job.getConfiguration().set("mapreduce.job.map.class", "com.example.NoSuchMapper");
    IOException e = assertThrows(IOException.class, job::submit);
    assertTrue(e.getMessage().contains("com.example.NoSuchMapper")
        && e.getMessage().contains("mapreduce.job.map.class"), e.getMessage());
    assertArrayEquals(new String[0], stateLeft());
  }

  @Test
  void unusablePmemDirFailsAtSubmission() throws Exception {
    java.nio.file.Path file = Files.writeString(pmemDir.resolve("a-file"), "x");
    Configuration conf = conf("faas");
    conf.set(FaasConfigKeys.STATE_PMEM_DIR_KEY, file.resolve("state").toString());
    Job job = job(conf, CountMapper.class, "/failures/out-pmemdir");
    IOException e = assertThrows(IOException.class, job::submit);
    assertTrue(e.getMessage().contains(FaasConfigKeys.STATE_PMEM_DIR_KEY), e.getMessage());
    assertArrayEquals(new String[] {"a-file"}, stateLeft());
  }

  @Test
  void fullPmemDirFailsTheJobNamingTheDirAndTheFix() throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      // Surefire lists a skipped test without its reason; say it where the build log shows it.
      System.err.println("SKIPPED " + getClass().getSimpleName() + ": mounting a small tmpfs "
          + "to fill needs root; run the suite as root (CI does)");
    }
    assumeTrue("root".equals(System.getProperty("user.name")),
        "mounting a small tmpfs to fill needs root; run the suite as root (CI does)");
    mount(pmemDir, "2m");
    try {
      // About 2.9 MB of map output: Hadoop finds no local dir with room for the spill.
      assertFailsNamingTheFullDir(1_500_000, "spill");
      // About 1.4 MB: the spill fits, its copy into the state store does not (native-pmem).
      assertFailsNamingTheFullDir(700_000, "store");
    } finally {
      assertEquals(0, new ProcessBuilder("umount", pmemDir.toString()).inheritIO().start()
          .waitFor());
    }
  }

  private void assertFailsNamingTheFullDir(int textBytes, String name) throws Exception {
    StringBuilder text = new StringBuilder();
    for (int line = 0; text.length() < textBytes; line++) {
      text.append("w").append(line % 5000).append(" x").append(line % 7).append('\n');
    }
    write(new Path("/failures/full-" + name + "/in.txt"), text.toString());
    Configuration conf = conf("faas");
    conf.setInt("mapreduce.map.maxattempts", 2);
    Job job = job(conf, CountMapper.class, "/failures/out-full-" + name);
    FileInputFormat.setInputPaths(job, new Path("/failures/full-" + name));
    assertFalse(job.waitForCompletion(false));
    String info = job.getStatus().getFailureInfo();
    assertTrue(info.contains("The PMEM state dir " + pmemDir + " has no room for this task"),
        info);
    assertTrue(info.contains(FaasConfigKeys.STATE_PMEM_DIR_KEY)
        && info.contains(FaasConfigKeys.STATE_STORE_KEY + "=hdfs"), info);
    assertTrue(info.contains(name.equals("spill") ? "DiskErrorException"
        : "PmemNoSpaceException"), info);
    assertArrayEquals(new String[0], stateLeft(), "the job's state is removed all the same");
  }

  private static void mount(java.nio.file.Path dir, String size) throws Exception {
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs",
        dir.toString()).inheritIO().start();
    assertEquals(0, mount.waitFor(), "mount -t tmpfs failed");
  }

  @Test
  void invalidSettingFailsAtSubmission() throws Exception {
    Configuration conf = conf("faas");
    conf.set(FaasConfigKeys.MAX_CONCURRENCY_KEY, "0");
    Job job = job(conf, CountMapper.class, "/failures/out-settings");
    IOException e = assertThrows(IOException.class, job::submit);
    assertTrue(e.getMessage().contains("mapreduce.faas.max-concurrency = 0 is out of range"),
        e.getMessage());
  }

  @Test
  void killJobDuringMapStageStopsSchedulingAndRemovesState() throws Exception {
    mapStarted = new CountDownLatch(1);
    mapRelease = new CountDownLatch(1);
    Configuration conf = conf("faas");
    conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, 1);
    Job job = job(conf, BlockingMapper.class, "/failures/out-kill");
    job.submit();
    assertTrue(mapStarted.await(60, TimeUnit.SECONDS), "a map started");
    assertTrue(stateLeft().length > 0, "state exists while the job runs");
    job.killJob();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!job.isComplete() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    mapRelease.countDown();
    assertEquals(JobStatus.State.KILLED, job.getStatus().getState());
    assertArrayEquals(new String[0], stateLeft());
    assertEquals(1, countPending(job), "the second of two maps was never launched");
    assertFalse(fs.exists(new Path("/failures/out-kill/_SUCCESS")));
  }

  private static int countPending(Job job) throws Exception {
    int pending = 0;
    for (org.apache.hadoop.mapreduce.TaskReport r
        : job.getTaskReports(org.apache.hadoop.mapreduce.TaskType.MAP)) {
      if (r.getCurrentStatus() == org.apache.hadoop.mapred.TIPStatus.PENDING) {
        pending++;
      }
    }
    return pending;
  }

  /** Emits (word, 1). */
  public static class CountMapper extends Mapper<LongWritable, Text, Text, IntWritable> {
    @Override
    protected void map(LongWritable key, Text value, Context context)
        throws IOException, InterruptedException {
      for (String word : value.toString().split(" ")) {
        context.write(new Text(word), new IntWritable(1));
      }
    }
  }

  /** Always throws. */
  public static class ThrowingMapper extends CountMapper {
    @Override
    protected void map(LongWritable key, Text value, Context context) {
      throw new IllegalStateException("mapper refuses record at offset " + key);
    }
  }

  /** Throws in its first attempt only. */
  public static class FirstAttemptFailsMapper extends CountMapper {
    @Override
    protected void map(LongWritable key, Text value, Context context)
        throws IOException, InterruptedException {
      if (context.getTaskAttemptID().getId() == 0) {
        throw new IOException("first attempt fails on purpose");
      }
      super.map(key, value, context);
    }
  }

  /** Sums; its first attempt writes all output and then fails before committing. */
  public static class CountReducer extends Reducer<Text, IntWritable, Text, IntWritable> {
    @Override
    protected void reduce(Text key, Iterable<IntWritable> values, Context context)
        throws IOException, InterruptedException {
      int sum = 0;
      for (IntWritable v : values) {
        sum += v.get();
      }
      context.write(key, new IntWritable(sum));
    }
  }

  /** A reducer whose first attempt fails after writing its output. */
  public static class FirstAttemptFailsReducer extends CountReducer {
    @Override
    protected void cleanup(Context context) throws IOException {
      if (context.getTaskAttemptID().getId() == 0) {
        throw new IOException("first reduce attempt fails after writing");
      }
    }
  }

  /** Blocks until the test releases it (or is interrupted by the kill). */
  public static class BlockingMapper extends CountMapper {
    @Override
    protected void setup(Context context) throws InterruptedException {
      mapStarted.countDown();
      mapRelease.await(60, TimeUnit.SECONDS);
    }
  }
}
