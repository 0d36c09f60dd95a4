package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.launcher.ActivationOutcome;
import io.marvel.faas.launcher.OpenWhiskLauncher;
import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.TaskKind;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.faas.testing.TestFiles;
import io.marvel.faas.testing.WordCountJobs;
import io.marvel.whisk.client.ActionSpec;
import io.marvel.whisk.client.WhiskClient;
import io.marvel.whisk.platform.EmbeddedWhisk;
import io.marvel.whisk.platform.settings.PlatformSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jobs of one or many users submitted at once to one long-lived OpenWhisk all run. Each deploys
 * the task action at submission; a stock OpenWhisk answers the second of two concurrent
 * {@code PUT .../actions/{name}?overwrite=true} with 409 (its controller's
 * {@code WriteOps.putEntity} in apache/openwhisk
 * core/controller/src/main/scala/org/apache/openwhisk/core/controller/ApiUtils.scala turns the
 * datastore's revision conflict into 409 "Concurrent modification to resource detected."), and
 * so does the embedded platform, which plays that OpenWhisk here.
 */
class FaasConcurrentJobsIntegrationTest extends FaasClusterHarness {
  private static final Path INPUT = new Path("/concurrent/in");
  private static final String[] LINES = {"alpha beta gamma", "beta gamma", "gamma delta pmem"};
  private static java.nio.file.Path platformDir;
  private static EmbeddedWhisk whisk;

  @BeforeAll
  static void startPlatformAndWriteInput() throws IOException {
    platformDir = Files.createTempDirectory("faas-concurrent-whisk-");
    whisk = EmbeddedWhisk.start(PlatformSettings.builder(platformDir).poolMemoryMb(4096)
        .inheritModuleOptions().build());
    write(new Path(INPUT, "a.txt"), LINES[0] + "\n" + LINES[1] + "\n");
    write(new Path(INPUT, "b.txt"), LINES[2] + "\n");
  }

  @AfterAll
  static void stopPlatform() throws IOException {
    if (whisk != null) {
      whisk.close();
    }
    TestFiles.deleteTree(platformDir);
  }

  /**
   * Two job jars (Hadoop's examples and one built here) and two action memory sizes, so two
   * contents of the task action are deployed at the same time, each by two jobs.
   */
  @Test
  void fourJobsSubmittedAtOnceToOnePlatformAllSucceed() throws Exception {
    java.nio.file.Path lengthJar = jarOf(WordLengthMapper.class);
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Job job = WordCountJobs.wordCount(whiskConf(i % 2 == 0 ? 384 : 320), "concurrent-" + i,
          INPUT, new Path("/concurrent/out-" + i));
      if (i >= 2) {
        // Word lengths instead of words, from a jar of its own.
        job.setJar(lengthJar.toString());
        job.setMapperClass(WordLengthMapper.class);
      }
      job.setNumReduceTasks(1);
      jobs.add(job);
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(jobs.size());
    try {
      List<Future<Boolean>> done = new ArrayList<>();
      for (Job job : jobs) {
        done.add(threads.submit(() -> {
          start.await();
          return job.waitForCompletion(false);
        }));
      }
      start.countDown();
      for (int i = 0; i < jobs.size(); i++) {
        Job job = jobs.get(i);
        assertTrue(done.get(i).get(300, TimeUnit.SECONDS),
            () -> job.getJobName() + " failed: " + failureInfo(job));
      }
    } finally {
      threads.shutdownNow();
    }
    for (int i = 0; i < jobs.size(); i++) {
      assertEquals(expected(i < 2), new String(output(new Path("/concurrent/out-" + i)),
          StandardCharsets.UTF_8), jobs.get(i).getJobName());
    }
  }

  /**
   * A job's deploy removes other versions of the task action once they went unused for their
   * retention, and nothing else; a version that is gone when a task is launched (another
   * client's cleanup, an operator) is deployed again and the task still runs.
   */
  @Test
  void deployRemovesUnusedVersionsAndAGoneVersionIsDeployedAgain() throws Exception {
    WhiskClient client = WhiskClient.create(whisk.clientSettings());
    String older = FaasConfigKeys.ACTION_NAME_DEFAULT + "-00000000000000aa";
    client.deploy(ActionSpec.java(older, "Older", new byte[] {1}));
    client.deploy(ActionSpec.java("users-own-action", "Own", new byte[] {2}));
    FaasSettings settings = FaasSettings.from(whiskConf(384));
    try (OpenWhiskLauncher launcher = OpenWhiskLauncher.create(settings,
        FaasClientJvm.get().platform())) {
      launcher.prepare();
      String current = launcher.actionName();
      assertTrue(current.startsWith(FaasConfigKeys.ACTION_NAME_DEFAULT + "-"), current);
      assertTrue(client.getAction(older).isPresent(), "deployed just now, so kept");

      launcher.removeUnusedVersions(System.currentTimeMillis() + settings.actionRetentionMs()
          + ActionSpec.java(older, "Older", new byte[] {1}).timeoutMs() + 1_000);
      assertFalse(client.getAction(older).isPresent(), "unused past its retention");
      assertTrue(client.getAction("users-own-action").isPresent(), "not a task action");
      assertTrue(client.getAction(current).isPresent(), "the version just deployed");

      assertTrue(client.deleteAction(current));
      TaskArguments reduce = new TaskArguments("job_1_0001", "attempt_1_0001_r_000000_0",
          TaskKind.REDUCE, 0, "nobody", "file:/nonexistent/staging", null, 0, 1, 1,
          new StoreLocation(StoreKind.PMEM, pmemDir.toString()));
      ActivationOutcome outcome = launcher.launch(reduce);
      assertTrue(outcome instanceof ActivationOutcome.Completed ran
          && !ran.result().succeeded()
          && ran.result().diagnostics().contains("/nonexistent/staging/job.xml"),
          "the task ran, and failed as its job does not exist: " + outcome);
      assertTrue(client.getAction(current).isPresent(), "deployed again");
    } finally {
      client.deleteAction("users-own-action");
    }
  }

  private Configuration whiskConf(int memoryMb) {
    Configuration conf = conf("faas");
    conf.set(FaasConfigKeys.LAUNCHER_KEY, "openwhisk");
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, whisk.apiHost().toString());
    conf.set(FaasConfigKeys.OPENWHISK_AUTH_KEY, whisk.authKey());
    conf.set(FaasConfigKeys.OPENWHISK_NAMESPACE_KEY, whisk.namespace());
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, memoryMb);
    conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, 1);
    return conf;
  }

  /** @return what the job writes: counts of the words, or of the word lengths */
  private static String expected(boolean words) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String line : LINES) {
      for (String word : line.split(" ")) {
        counts.merge(words ? word : Integer.toString(word.length()), 1, Integer::sum);
      }
    }
    StringBuilder out = new StringBuilder();
    counts.forEach((k, v) -> out.append(k).append('\t').append(v).append('\n'));
    return out.toString();
  }

  /** @return a jar, in the test's summary dir, holding the class file of {@code type} */
  private java.nio.file.Path jarOf(Class<?> type) throws IOException {
    String entry = type.getName().replace('.', '/') + ".class";
    java.nio.file.Path jar = summaryDir.resolve("length-job.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry(entry));
      try (var in = type.getClassLoader().getResourceAsStream(entry)) {
        in.transferTo(out);
      }
      out.closeEntry();
    }
    return jar;
  }

  /** Counts the words of each length. */
  public static class WordLengthMapper extends Mapper<LongWritable, Text, Text, IntWritable> {
    private static final IntWritable ONE = new IntWritable(1);

    @Override
    protected void map(LongWritable key, Text value, Context context)
        throws IOException, InterruptedException {
      for (String word : value.toString().split(" ")) {
        context.write(new Text(Integer.toString(word.length())), ONE);
      }
    }
  }
}
