package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.registry.JobRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.JobClient;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskCounter;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code mapred job -list}, {@code -status} and {@code -kill} from another process while a
 * faas job runs: Hadoop's own {@link JobClient} in a second JVM, which knows the job only
 * through the job registry in the summary dir.
 */
class FaasJobRegistryIntegrationTest extends FaasClusterHarness {
  private static final Path INPUT = new Path("/registry/in");
  static volatile CountDownLatch mapStarted;
  static volatile CountDownLatch mapRelease;

  @BeforeAll
  static void writeInput() throws IOException {
    writeTwelveWords(INPUT);
  }

  @Test
  void anotherProcessListsShowsAndKillsARunningJob() throws Exception {
    mapStarted = new CountDownLatch(1);
    mapRelease = new CountDownLatch(1);
    Configuration conf = conf("faas");
    conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, 2);
    Job job = Job.getInstance(conf, "registry");
    job.setJarByClass(getClass());
    job.setMapperClass(SecondMapBlocks.class);
    job.setReducerClass(FaasFailuresIntegrationTest.CountReducer.class);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(IntWritable.class);
    job.setNumReduceTasks(1);
    FileInputFormat.addInputPath(job, INPUT);
    FileOutputFormat.setOutputPath(job, new Path("/registry/out"));
    try {
      job.submit();
      assertTrue(mapStarted.await(60, TimeUnit.SECONDS), "the second map started");
      String id = job.getJobID().toString();
      JobRegistry registry = new JobRegistry(summaryDir);
      // The first map's counters are published on the coordinator's next tick.
      awaitTrue(() -> published(registry, id), "map 0's counters published");

      String list = mapred(0, "-list");
      assertTrue(list.contains("Total jobs:1"), list);
      assertTrue(list.lines().anyMatch(l -> l.contains(id) && l.contains("RUNNING")
          && l.contains("registry")), list);

      String status = mapred(0, "-status", id);
      assertTrue(status.contains("Job: " + id), status);
      assertTrue(status.contains("Job state: RUNNING"), status);
      assertTrue(status.contains("Number of maps: 2"), status);
      assertTrue(status.contains("Number of reduces: 1"), status);
      assertTrue(status.contains("map() completion: 0.5"), status);
      assertTrue(status.contains("Map input records=2"), status);

      // -kill-task of the blocked map's attempt: the coordinator abandons it and starts the
      // next attempt, which blocks again.
      TaskAttemptID blocked = new TaskAttemptID(new TaskID(job.getJobID(), TaskType.MAP, 1), 0);
      String killTask = mapred(0, "-kill-task", blocked.toString());
      assertTrue(killTask.contains("Killed task " + blocked), killTask);
      TaskAttemptID next = new TaskAttemptID(blocked.getTaskID(), 1);
      awaitTrue(() -> runningAttemptsOfMap1(job).contains(next.toString()),
          "the next attempt runs");
      assertTrue(mapred(255, "-kill-task", blocked.toString())
          .contains("Could not kill task " + blocked), "an abandoned attempt is not running");

      assertTrue(stateLeft().length > 0, "state exists while the job runs");
      String kill = mapred(0, "-kill", id);
      assertTrue(kill.contains("Killed job " + id), kill);
      // The kill returned once the job had ended; this process learns it a moment later.
      awaitTrue(() -> complete(job), "the job ends in the submitting process");
      assertEquals(JobStatus.State.KILLED, job.getStatus().getState());
      assertArrayEquals(new String[0], stateLeft());
      assertFalse(Files.exists(registry.killFile(id)), "the handled kill request is removed");
      assertFalse(fs.exists(new Path("/registry/out/_SUCCESS")));

      String all = mapred(0, "-list", "all");
      assertTrue(all.lines().anyMatch(l -> l.contains(id) && l.contains("KILLED")), all);
      // The CLI's exit code -1 for a job that has ended already.
      String again = mapred(255, "-kill", id);
      assertTrue(again.contains("The job " + id + " has already been killed."), again);
    } finally {
      mapRelease.countDown();
    }
  }

  /** @return ids as strings: the reports hold the old API's ids, never equal to the new's */
  private static List<String> runningAttemptsOfMap1(Job job) {
    try {
      return job.getTaskReports(TaskType.MAP)[1].getRunningTaskAttemptIds().stream()
          .map(Object::toString).toList();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean complete(Job job) {
    try {
      return job.isComplete();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean published(JobRegistry registry, String id) {
    try {
      return registry.read(id).orElseThrow().hadoopCounters()
          .findCounter(TaskCounter.MAP_INPUT_RECORDS).getValue() > 0;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
      Thread.sleep(50);
    }
  }

  /**
   * Runs {@code mapred job <args>} as the distribution does, in a JVM of its own that shares
   * nothing with this one but the configuration and the summary dir.
   *
   * @return its standard output
   */
  private String mapred(int expectedExit, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(JobClient.class.getName());
    for (String setting : new String[] {MRConfig.FRAMEWORK_NAME + "=faas",
        FaasConfigKeys.SUMMARY_DIR_KEY + "=" + summaryDir,
        FaasConfigKeys.STATE_PMEM_DIR_KEY + "=" + pmemDir}) {
      cmd.add("-D");
      cmd.add(setting);
    }
    cmd.addAll(List.of(args));
    Process process = new ProcessBuilder(cmd).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(
        () -> read(process.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(
        () -> read(process.getErrorStream()));
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("mapred job " + String.join(" ", args) + " did not end in 90 s;"
          + " stdout: " + out.getNow("") + " stderr: " + err.getNow(""));
    }
    String stdout = out.get(10, TimeUnit.SECONDS);
    assertEquals(expectedExit, process.exitValue(), () -> "mapred job " + String.join(" ", args)
        + "\nstdout: " + stdout + "\nstderr: " + err.getNow(""));
    return stdout;
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Counts words; the attempt of map 1 blocks until the test releases it or it is killed. */
  public static class SecondMapBlocks extends FaasFailuresIntegrationTest.CountMapper {
    @Override
    protected void setup(Context context) throws InterruptedException {
      if (context.getTaskAttemptID().getTaskID().getId() == 1) {
        mapStarted.countDown();
        mapRelease.await(60, TimeUnit.SECONDS);
      }
    }
  }
}
