package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.faas.testing.WordCountJobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.examples.WordCount;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskCounter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The faas framework through OpenWhisk's REST API and the embedded platform, whose containers
 * are separate JVMs: same output as local, warm reuse, container crashes retried, bad endpoint
 * and key rejected at submission.
 */
class FaasOpenWhiskIntegrationTest extends FaasClusterHarness {
  private static final Path TEXT = new Path("/ow/in");

  @BeforeAll
  static void writeInput() throws IOException {
    for (int file = 0; file < 3; file++) {
      StringBuilder text = new StringBuilder();
      for (int line = 0; line < 500; line++) {
        text.append("w").append((line * 31 + file) % 97).append(" x").append(line % 7)
            .append('\n');
      }
      write(new Path(TEXT, "f" + file), text.toString());
    }
  }

  private Configuration whiskConf() {
    Configuration conf = conf("faas");
    conf.set(FaasConfigKeys.LAUNCHER_KEY, "openwhisk");
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, "local");
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, 512);
    conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, 2);
    return conf;
  }

  private Job wordCount(Configuration conf, String out, int reduces) throws IOException {
    Job job = WordCountJobs.withCombiner(conf, "ow-wordcount", TEXT, new Path(out));
    job.setNumReduceTasks(reduces);
    return job;
  }

  @Test
  void wordCountInContainerJvmsMatchesLocalAndReusesWarmContainers() throws Exception {
    Job local = wordCount(conf("local"), "/ow/wc-local", 2);
    assertTrue(local.waitForCompletion(false));
    Job faas = wordCount(whiskConf(), "/ow/wc-faas", 2);
    assertSucceeds(faas);
    assertSameOutput(new Path("/ow/wc-local"), new Path("/ow/wc-faas"));
    Counters counters = faas.getCounters();
    assertSameRecordCounters(local.getCounters(), counters);
    assertEquals(counters.findCounter(TaskCounter.REDUCE_SHUFFLE_BYTES).getValue(),
        counters.findCounter(FaasCounter.PMEM_SHUFFLE_BYTES).getValue());
    assertTrue(counters.findCounter(FaasCounter.JOB_CACHE_HITS).getValue() > 0,
        "a warm container reused the job's cached conf, jar and class loader");
    List<String> containers = new ArrayList<>();
    int coldStarts = 0;
    for (JsonElement a : summary(faas).getAsJsonArray("attempts")) {
      String container = a.getAsJsonObject().get("container").getAsString();
      coldStarts += "cold".equals(a.getAsJsonObject().get("containerState").getAsString())
          ? 1 : 0;
      assertTrue(!container.startsWith("c-" + ProcessHandle.current().pid() + "-"),
          "attempts ran in container JVMs, not in the client: " + container);
      containers.add(container);
    }
    assertTrue(containers.stream().distinct().count() < containers.size(),
        "some container ran more than one task: " + containers);
    assertTrue(coldStarts <= containers.stream().distinct().count(),
        "at most one cold start per container, got " + coldStarts + " for " + containers);
    assertArrayEquals(new String[0], stateLeft());
  }

  @Test
  void containerKilledMidMapAndMidReduceIsRetried() throws Exception {
    java.nio.file.Path markers = Files.createDirectories(pmemDir.resolve("markers"));
    Configuration conf = whiskConf();
    conf.set(CrashOnceMapper.MARKER_DIR, markers.toString());
    Job job = wordCount(conf, "/ow/crash", 1);
    job.setMapperClass(CrashOnceMapper.class);
    job.setReducerClass(CrashOnceReducer.class);
    job.submit();
    killWhenMarked(markers.resolve("m"));
    killWhenMarked(markers.resolve("r"));
    assertTrue(job.waitForCompletion(false), () -> failureInfo(job));
    Job local = wordCount(conf("local"), "/ow/crash-local", 1);
    assertTrue(local.waitForCompletion(false));
    assertSameOutput(new Path("/ow/crash-local"), new Path("/ow/crash"));
    int failed = 0;
    for (JsonElement a : summary(job).getAsJsonArray("attempts")) {
      JsonObject attempt = a.getAsJsonObject();
      if (!attempt.get("succeeded").getAsBoolean()) {
        failed++;
        assertTrue(attempt.get("attemptId").getAsString().endsWith("_0"), attempt.toString());
        String diagnostics = attempt.get("diagnostics").getAsString();
        assertTrue(diagnostics.contains(": its container process died while it ran the attempt;"
            + " this is no error of the task's code") && diagnostics.contains(") was killed by"
            + " signal 9 (SIGKILL). (OpenWhisk status: action developer error)"), diagnostics);
      }
    }
    assertEquals(2, failed, "one map and one reduce attempt died with their containers");
  }

  @Test
  void eachActivationsLogsAreKeptBesideTheSummary() throws Exception {
    Configuration conf = whiskConf();
    conf.setInt("mapreduce.map.maxattempts", 2);
    Job job = wordCount(conf, "/ow/logs", 1);
    job.setMapperClass(LoggingMapper.class);
    assertSucceeds(job);
    int failed = 0;
    for (JsonElement a : summary(job).getAsJsonArray("attempts")) {
      JsonObject attempt = a.getAsJsonObject();
      String id = attempt.get("attemptId").getAsString();
      java.nio.file.Path log = summaryDir.resolve(job.getJobID() + ".logs").resolve(id + ".log");
      assertEquals(log.toString(), attempt.get("log").getAsString());
      String text = Files.readString(log);
      if (id.contains("_m_")) {
        assertTrue(text.contains("LoggingMapper on stderr in " + id), text);
        assertTrue(text.contains("LoggingMapper through slf4j in " + id), text);
      }
      if (!attempt.get("succeeded").getAsBoolean()) {
        failed++;
        assertTrue(text.contains("first attempt fails on purpose"),
            "the task's own report of its failure is in its log: " + text);
        assertTrue(attempt.get("diagnostics").getAsString().endsWith("Task log: " + log),
            attempt.toString());
      }
    }
    assertEquals(3, failed, "each map's first attempt failed");
  }

  private static void killWhenMarked(java.nio.file.Path marker) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(marker)) {
      assertTrue(System.nanoTime() < deadline, "no task wrote " + marker);
      Thread.onSpinWait();
    }
    long pid = Long.parseLong(Files.readString(marker).trim());
    ProcessHandle container = ProcessHandle.of(pid).orElseThrow();
    assertTrue(container.destroyForcibly());
    container.onExit().get(30, TimeUnit.SECONDS);
  }

  @Test
  void unreachableEndpointFailsAtSubmission() throws Exception {
    Configuration conf = whiskConf();
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, "http://127.0.0.1:1");
    conf.set(FaasConfigKeys.OPENWHISK_AUTH_KEY, "23bc46b1-71f6-4ed5-8c54-816aa4f8c502:abc");
    Job job = wordCount(conf, "/ow/unreachable", 1);
    IOException e = assertThrows(IOException.class, job::submit);
    assertTrue(e.getMessage().contains("mapreduce.faas.openwhisk.apihost")
        && e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    assertArrayEquals(new String[0], stateLeft());
  }

  @Test
  void wrongKeyFailsAtSubmission() throws Exception {
    Configuration conf = whiskConf();
    String apiHost = FaasClientJvm.get().platform().shared(FaasSettings.from(conf)).apiHost()
        .toString();
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, apiHost);
    conf.set(FaasConfigKeys.OPENWHISK_AUTH_KEY, "23bc46b1-71f6-4ed5-8c54-816aa4f8c502:wrong");
    Job job = wordCount(conf, "/ow/wrongkey", 1);
    IOException e = assertThrows(IOException.class, job::submit);
    assertTrue(e.getMessage().contains("mapreduce.faas.openwhisk.auth"), e.getMessage());
    assertArrayEquals(new String[0], stateLeft());
  }

  private JsonObject summary(Job job) throws IOException {
    return JsonParser.parseString(Files.readString(summaryDir.resolve(job.getJobID()
        + ".json"))).getAsJsonObject();
  }

  /** Helpers shared by the crashing tasks. */
  static final class Crash {
    private Crash() {
    }

    /** In attempt 0 of task 0: say which JVM runs it, then wait to be killed. */
    static void maybeWaitForKill(org.apache.hadoop.mapreduce.TaskAttemptContext context,
        String marker) throws IOException, InterruptedException {
      if (context.getTaskAttemptID().getId() != 0 || context.getTaskAttemptID().getTaskID()
          .getId() != 0) {
        return;
      }
      java.nio.file.Path dir = Paths.get(context.getConfiguration().get(
          CrashOnceMapper.MARKER_DIR));
      java.nio.file.Path temp = dir.resolve(marker + ".tmp");
      Files.writeString(temp, Long.toString(ProcessHandle.current().pid()));
      Files.move(temp, dir.resolve(marker));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      throw new IOException("attempt was not killed within 60 s");
    }
  }

  /** Word count mapper that logs on stderr and through slf4j; its first attempts fail. */
  public static class LoggingMapper extends WordCount.TokenizerMapper {
    @Override
    protected void setup(Context context) throws IOException {
      String attempt = context.getTaskAttemptID().toString();
      System.err.println("LoggingMapper on stderr in " + attempt);
      LoggerFactory.getLogger(LoggingMapper.class).warn("LoggingMapper through slf4j in {}",
          attempt);
      if (context.getTaskAttemptID().getId() == 0) {
        throw new IOException("first attempt fails on purpose");
      }
    }
  }

  /** Word count mapper whose first attempt of map 0 waits to be killed with its container. */
  public static class CrashOnceMapper extends WordCount.TokenizerMapper {
    static final String MARKER_DIR = "test.crash.marker.dir";

    @Override
    protected void setup(Context context) throws IOException, InterruptedException {
      Crash.maybeWaitForKill(context, "m");
    }
  }

  /** Sum reducer whose first attempt of reduce 0 waits to be killed with its container. */
  public static class CrashOnceReducer extends WordCount.IntSumReducer {
    @Override
    protected void setup(Context context) throws IOException, InterruptedException {
      Crash.maybeWaitForKill(context, "r");
    }
  }
}
