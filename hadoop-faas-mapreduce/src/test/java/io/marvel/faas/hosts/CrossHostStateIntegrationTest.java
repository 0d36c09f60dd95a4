package io.marvel.faas.hosts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.testing.JobOutputs;
import io.marvel.faas.testing.ReduceGate;
import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.testing.WordCountJobs;
import io.marvel.hdfs.hosts.SimulatedHost;
import io.marvel.pmem.Pmem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.examples.terasort.TeraGen;
import org.apache.hadoop.examples.terasort.TeraSort;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobCounter;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cross-host state path on 3 simulated hosts (PMEM DataNodes, containers placed round-robin):
 * word count, TeraSort with 3 reducers and a word count with a combiner and compressed map
 * output, each byte-identical to {@code local}, with maps and reducers (from the job summary's
 * hosts) on at least two hosts each and both local and remote shuffle bytes; a host SIGKILLed
 * after the map stage; {@code store=pmem} across hosts failing at once with the fix. Needs root
 * (skipped with the reason otherwise). The host-loss test runs last: the lost host stays down.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossHostStateIntegrationTest {
  private static final java.nio.file.Path LOGS = Paths.get("target", "cross-host-state");
  private static final Path WORDS = new Path("/in/words");
  private static final Path TERA = new Path("/in/tera");
  private static final Path STATE = new Path("/faas-state");
  private static final int WORD_FILES = 6;

  private HostsPlatform platform;
  private FileSystem fs;
  @TempDir
  java.nio.file.Path summaries;

  @BeforeAll
  void start() throws Exception {
    Pmem.ensureAvailable();
    platform = HostsPlatform.builder(LOGS).platform(b -> b.poolMemoryMb(4096)).startOrSkip();
    fs = FileSystem.newInstance(platform.hosts().clientConf());
    for (int file = 0; file < WORD_FILES; file++) {
      StringBuilder text = new StringBuilder();
      for (int line = 0; line < 3000; line++) {
        text.append("w").append((line * 31 + file) % 997).append(" x").append(line % 13)
            .append(" y").append((line * file) % 101).append('\n');
      }
      try (OutputStream out = fs.create(new Path(WORDS, "f" + file))) {
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    Configuration gen = localConf();
    assertEquals(0, ToolRunner.run(gen, new TeraGen(), new String[] {"20000", TERA.toString()}));
  }

  @AfterAll
  void stop() throws IOException {
    try {
      if (fs != null) {
        fs.close();
      }
    } finally {
      if (platform != null) {
        platform.close();
      }
    }
  }

  private Configuration localConf() {
    Configuration conf = platform.clientConf();
    conf.set(MRConfig.FRAMEWORK_NAME, "local");
    return conf;
  }

  /** The hdfs store on the PMEM DataNodes, one replica, a summary dir of its own. */
  private Configuration faasConf(String summaryName) throws IOException {
    Configuration conf = platform.clientConf();
    conf.set(FaasConfigKeys.STATE_STORE_KEY, "hdfs");
    conf.set(FaasConfigKeys.STATE_HDFS_DIR_KEY, STATE.toString());
    conf.set(FaasConfigKeys.SUMMARY_DIR_KEY,
        Files.createDirectories(summaries.resolve(summaryName)).toString());
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, 512);
    conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, 3);
    return conf;
  }

  @Test
  @Order(1)
  void wordCountRunsOnSeveralHostsAndMatchesLocal() throws Exception {
    assertWordCountAcrossHosts("wc", false);
  }

  @Test
  @Order(2)
  void aCombinerAndCompressedMapOutputRunOnSeveralHostsAndMatchLocal() throws Exception {
    assertWordCountAcrossHosts("wcz", true);
  }

  private void assertWordCountAcrossHosts(String name, boolean combineAndCompress)
      throws Exception {
    Configuration local = localConf();
    Configuration faas = faasConf(name);
    for (Configuration c : List.of(local, faas)) {
      if (combineAndCompress) {
        c.setBoolean("mapreduce.map.output.compress", true);
        c.set("mapreduce.map.output.compress.codec",
            "org.apache.hadoop.io.compress.DefaultCodec");
      }
    }
    Job localJob = wordCount(local, name, combineAndCompress);
    assertTrue(localJob.waitForCompletion(false));
    Job faasJob = wordCount(faas, name, combineAndCompress);
    assertTrue(faasJob.waitForCompletion(false),
        () -> "faas job failed: " + JobOutputs.failureInfo(faasJob));

    assertArrayEquals(output(new Path("/out/" + name + "-local")),
        output(new Path("/out/" + name + "-faas")), "faas output differs from local");
    assertRanAcrossHosts(summary(faas));
    Counters counters = faasJob.getCounters();
    assertTrue(counters.findCounter(FaasCounter.LOCAL_SHUFFLE_BYTES).getValue() > 0,
        "some reducers read map outputs of their own host");
    assertTrue(counters.findCounter(FaasCounter.REMOTE_SHUFFLE_BYTES).getValue() > 0,
        "some reducers read map outputs of other hosts");
    if (combineAndCompress) {
      assertTrue(counters.findCounter(org.apache.hadoop.mapreduce.TaskCounter
          .COMBINE_INPUT_RECORDS).getValue() > 0, "the combiner ran");
    }
  }

  private Job wordCount(Configuration conf, String name, boolean combine) throws IOException {
    String framework = conf.get(MRConfig.FRAMEWORK_NAME);
    Path out = new Path("/out/" + name + "-" + framework);
    Job job = combine ? WordCountJobs.withCombiner(conf, name, WORDS, out)
        : WordCountJobs.wordCount(conf, name, WORDS, out);
    job.setNumReduceTasks(3);
    return job;
  }

  @Test
  @Order(3)
  void teraSortWithThreeReducersRunsOnSeveralHostsAndMatchesLocal() throws Exception {
    for (String framework : List.of("local", "faas")) {
      Configuration conf = framework.equals("local") ? localConf() : faasConf("tera");
      conf.setInt("mapreduce.job.reduces", 3);
      // Several maps from the one file TeraGen's local run writes.
      conf.setLong("mapreduce.input.fileinputformat.split.maxsize", 400_000);
      assertEquals(0, ToolRunner.run(conf, new TeraSort(), new String[] {TERA.toString(),
          "/out/tera-" + framework}), "TeraSort " + framework);
    }
    assertArrayEquals(output(new Path("/out/tera-local")), output(new Path("/out/tera-faas")),
        "faas output differs from local");
    JsonObject summary = onlySummary("tera");
    assertRanAcrossHosts(summary);
    long local = 0;
    long remote = 0;
    for (JsonObject attempt : attempts(summary)) {
      if (attempt.has("localShuffleBytes") && attempt.get("succeeded").getAsBoolean()) {
        local += attempt.get("localShuffleBytes").getAsLong();
        remote += attempt.get("remoteShuffleBytes").getAsLong();
      }
    }
    assertTrue(local > 0 && remote > 0, "local " + local + ", remote " + remote);
  }

  @Test
  @Order(4)
  void pmemStateAcrossHostsFailsTheJobAtOnceNamingTheHdfsStore() throws Exception {
    Configuration conf = platform.clientConf();
    conf.set(FaasConfigKeys.STATE_STORE_KEY, "pmem");
    conf.set(FaasConfigKeys.SUMMARY_DIR_KEY,
        Files.createDirectories(summaries.resolve("pmem")).toString());
    conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, 3);
    // The client's PMEM dir is its own host's; no container's host has the job's dir there.
    Job job = wordCount(conf, "pmem", false);

    assertFalse(job.waitForCompletion(false));

    assertEquals(JobStatus.State.FAILED, job.getStatus().getState());
    String info = job.getStatus().getFailureInfo();
    assertTrue(info.contains("failed, which fails the job"), info);
    assertTrue(info.contains("is not on host host"), info);
    assertTrue(info.contains("set mapreduce.faas.state.store=hdfs"), info);
    assertTrue(job.getCounters().findCounter(JobCounter.NUM_FAILED_MAPS).getValue() <= 3,
        "no map is retried: another attempt can land on any host");
    assertFalse(fs.exists(new Path("/out/pmem-faas/part-r-00000")), "no output");
  }

  @Test
  @Order(5)
  void losingAHostAfterTheMapStageRunsItsMapsAgainAndMatchesLocal() throws Exception {
    java.nio.file.Path gate = summaries.resolve("reduce-gate");
    Configuration local = localConf();
    Configuration faas = faasConf("lost");
    faas.set(ReduceGate.GATE_KEY, gate.toString());
    Job localJob = wordCount(local, "lost", false);
    localJob.setOutputFormatClass(ReduceGate.class);
    assertTrue(localJob.waitForCompletion(false));
    Job faasJob = wordCount(faas, "lost", false);
    faasJob.setOutputFormatClass(ReduceGate.class);
    faasJob.submit();
    Path jobState = new Path(STATE, faasJob.getJobID().toString());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (published(jobState) < WORD_FILES || faasJob.mapProgress() < 1f) {
      assertTrue(System.nanoTime() < deadline, "maps did not publish their outputs");
      Thread.sleep(100);
    }
    SimulatedHost lost = platform.hosts().host(hostHoldingMostOutputs(jobState));
    List<Long> killed = killEverythingOn(lost);
    assertFalse(killed.isEmpty(), "nothing ran on " + lost);
    Files.createFile(gate);

    assertTrue(faasJob.waitForCompletion(false),
        () -> "faas job failed: " + JobOutputs.failureInfo(faasJob));
    assertArrayEquals(output(new Path("/out/lost-local")), output(new Path("/out/lost-faas")),
        "faas output differs from local");
    assertTrue(faasJob.getCounters().findCounter(JobCounter.NUM_FAILED_MAPS).getValue() > 0,
        "the lost host's maps ran again");
    assertEquals(0, fs.listStatus(STATE).length, "the job's state is removed");
  }

  private int published(Path jobState) throws IOException {
    return fs.exists(jobState)
        ? fs.listStatus(jobState, p -> p.getName().endsWith(".out")).length : 0;
  }

  /** @return the index of the host (not the NameNode's) whose DataNode holds most outputs */
  private int hostHoldingMostOutputs(Path jobState) throws IOException {
    Map<Integer, Integer> held = new HashMap<>();
    for (FileStatus entry : fs.listStatus(jobState, p -> p.getName().endsWith(".out"))) {
      for (BlockLocation block : fs.getFileBlockLocations(entry, 0, entry.getLen())) {
        for (String name : block.getNames()) {
          String address = name.substring(0, name.lastIndexOf(':'));
          for (SimulatedHost host : platform.hosts().hosts()) {
            if (host.index() > 0 && host.address().equals(address)) {
              held.merge(host.index(), 1, Integer::sum);
            }
          }
        }
      }
    }
    return held.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow(
        () -> new AssertionError("no map output on host 1 or 2")).getKey();
  }

  /** SIGKILLs every process in the host's network namespace: its DataNode and containers. */
  private static List<Long> killEverythingOn(SimulatedHost host) throws Exception {
    Process pids = new ProcessBuilder("ip", "netns", "pids", host.namespace())
        .redirectErrorStream(true).start();
    String out = new String(pids.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, pids.waitFor(), out);
    List<Long> killed = new ArrayList<>();
    for (String pid : out.trim().split("\\s+")) {
      if (!pid.isEmpty()) {
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
          p.destroyForcibly();
          killed.add(p.pid());
        });
      }
    }
    return killed;
  }

  private void assertRanAcrossHosts(JsonObject summary) throws IOException {
    Set<String> mapHosts = new TreeSet<>();
    Set<String> reduceHosts = new TreeSet<>();
    for (JsonObject attempt : attempts(summary)) {
      if (!attempt.get("succeeded").getAsBoolean()) {
        continue;
      }
      String host = attempt.get("host").getAsString();
      assertEquals(platform.hostOf(attempt.get("activationId").getAsString()), host,
          "the summary's host is the activation's");
      (attempt.get("attemptId").getAsString().contains("_m_") ? mapHosts : reduceHosts)
          .add(host);
    }
    assertTrue(mapHosts.size() >= 2, "maps ran on " + mapHosts);
    assertTrue(reduceHosts.size() >= 2, "reducers ran on " + reduceHosts);
  }

  private static List<JsonObject> attempts(JsonObject summary) {
    List<JsonObject> list = new ArrayList<>();
    for (JsonElement a : summary.getAsJsonArray("attempts")) {
      list.add(a.getAsJsonObject());
    }
    return list;
  }

  private JsonObject summary(Configuration conf) throws IOException {
    return onlySummary(Paths.get(conf.get(FaasConfigKeys.SUMMARY_DIR_KEY)).getFileName()
        .toString());
  }

  /** @return the summary of the one job whose summary dir is {@code name} */
  private JsonObject onlySummary(String name) throws IOException {
    try (Stream<java.nio.file.Path> files = Files.list(summaries.resolve(name))) {
      java.nio.file.Path file = files.filter(f -> f.getFileName().toString().endsWith(".json"))
          .findFirst().orElseThrow(() -> new AssertionError("no summary in " + name));
      return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }
  }

  private byte[] output(Path dir) throws IOException {
    byte[] all = JobOutputs.partFiles(fs, dir);
    assertTrue(all.length > 0, "no output in " + dir);
    return all;
  }
}
