package io.marvel.faas.hosts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.testing.JobOutputs;
import io.marvel.faas.testing.WordCountJobs;
import io.marvel.hdfs.hosts.SimulatedHost;
import io.marvel.pmem.Pmem;
import io.marvel.whisk.client.ActionSpec;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.WhiskClient;
import io.marvel.whisk.platform.container.Placement;
import io.marvel.whisk.testing.ActionJars;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.examples.WordCount;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.client.HdfsDataInputStream;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.CounterGroup;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers placed on 3 simulated hosts: each runs on its host (its {@code MARVEL_HOST}, its
 * activation's host, its host's PMEM dir and no other at the local PMEM path), and a faas word
 * count with the HDFS state store runs its maps and reducers on several hosts, reading its input
 * short-circuit from its own host's DataNode, with output byte-identical to {@code local}.
 * Needs root (skipped with the reason otherwise).
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostsPlatformIntegrationTest {
  private static final java.nio.file.Path LOGS = Paths.get("target", "hosts-platform");
  private static final Path INPUT = new Path("/in/words");
  private static final int INPUT_FILES = 4;
  /** The job's mapper finds the local PMEM dir here. */
  static final String LOCAL_PMEM_DIR = "marvel.test.local-pmem-dir";
  static final String HOSTS = "hosts";
  static final String PMEM_VIEW = "pmem-view";
  static final String SHORT_CIRCUIT = "short-circuit";
  static final String SHORT_CIRCUIT_BYTES = "SHORT_CIRCUIT_BYTES";

  private HostsPlatform platform;
  private FileSystem fs;
  private long inputBytes;

  @BeforeAll
  void start() throws IOException {
    Pmem.ensureAvailable();
    platform = HostsPlatform.builder(LOGS).platform(b -> b.poolMemoryMb(4096)).startOrSkip();
    fs = FileSystem.newInstance(platform.hosts().clientConf());
    for (int file = 0; file < INPUT_FILES; file++) {
      StringBuilder text = new StringBuilder();
      for (int line = 0; line < 4000; line++) {
        text.append("w").append((line * 31 + file) % 997).append(" x").append(line % 13)
            .append(" y").append((line * file) % 101).append('\n');
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      try (OutputStream out = fs.create(new Path(INPUT, "f" + file))) {
        out.write(bytes);
      }
      inputBytes += bytes.length;
    }
    for (SimulatedHost host : platform.hosts().hosts()) {
      Files.writeString(host.pmemDir().resolve("marker-host" + host.index()), "");
    }
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

  @Test
  void eachContainerRunsOnItsHostAndSeesThatHostsPmemDirOnly() throws Exception {
    WhiskClient client = platform.whiskClient();
    client.deploy(ActionSpec.java("probe", ActionJars.PROBE_MAIN,
        ActionJars.probe(Files.createDirectories(LOGS.resolve("jars")))));
    JsonObject params = new JsonObject();
    params.addProperty("env", Placement.HOST_ENV);
    params.addProperty("list", platform.localPmemDir().toString());
    // Busy at once, so each needs a container of its own: one on each host in turn.
    params.addProperty("sleepMs", 3000);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(client.invokeNonBlocking("probe", params));
    }
    Set<String> hosts = new TreeSet<>();
    for (String id : ids) {
      Activation a = client.awaitActivation(id, Duration.ofSeconds(120));
      assertTrue(a.success(), a.toString());
      String host = a.host().orElseThrow(() -> new AssertionError("no host in " + a));
      JsonObject result = a.result().getAsJsonObject();
      assertEquals(host, result.getAsJsonObject("env").get(Placement.HOST_ENV).getAsString(),
          "MARVEL_HOST of " + id);
      List<String> markers = new ArrayList<>();
      result.getAsJsonArray("list").forEach(name -> {
        if (name.getAsString().startsWith("marker-")) {
          markers.add(name.getAsString());
        }
      });
      assertEquals(List.of("marker-" + host), markers, "PMEM dir seen on " + host);
      hosts.add(host);
    }
    assertEquals(Set.of("host0", "host1", "host2"), hosts);
  }

  @Test
  void aWordCountRunsOnSeveralHostsAndMatchesLocal(@TempDir java.nio.file.Path summaries)
      throws Exception {
    Job local = wordCount(platform.clientConf(), "local", new Path("/out/local"));
    local.getConfiguration().set(MRConfig.FRAMEWORK_NAME, "local");
    assertTrue(local.waitForCompletion(false), "the local job failed");

    Configuration conf = platform.clientConf();
    conf.set(FaasConfigKeys.STATE_STORE_KEY, "hdfs");
    conf.set(FaasConfigKeys.SUMMARY_DIR_KEY, summaries.toString());
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, 512);
    conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, 3);
    Job faas = wordCount(conf, "faas", new Path("/out/faas"));
    assertTrue(faas.waitForCompletion(false),
        () -> "the faas job failed: " + JobOutputs.failureInfo(faas));
    assertArrayEquals(output(new Path("/out/local")), output(new Path("/out/faas")),
        "faas output differs from local");

    Set<String> mapHosts = new TreeSet<>();
    Set<String> reduceHosts = new TreeSet<>();
    JsonObject summary = JsonParser.parseString(Files.readString(
        summaries.resolve(faas.getJobID() + ".json"))).getAsJsonObject();
    for (JsonElement a : summary.getAsJsonArray("attempts")) {
      JsonObject attempt = a.getAsJsonObject();
      String host = platform.hostOf(attempt.get("activationId").getAsString());
      (attempt.get("attemptId").getAsString().contains("_m_") ? mapHosts : reduceHosts)
          .add(host);
    }
    Set<String> all = new TreeSet<>(mapHosts);
    all.addAll(reduceHosts);
    assertTrue(all.size() >= 2, "activations ran on " + all);
    assertTrue(!mapHosts.equals(reduceHosts) || mapHosts.size() > 1,
        "maps and reducers ran on other hosts than each other: maps " + mapHosts
            + ", reduces " + reduceHosts);

    Counters counters = faas.getCounters();
    assertEquals(mapHosts, names(counters.getGroup(HOSTS), "map-"),
        "MARVEL_HOST of the maps against their activations' hosts");
    assertEquals(reduceHosts, names(counters.getGroup(HOSTS), "reduce-"),
        "MARVEL_HOST of the reducers against their activations' hosts");
    for (Counter view : counters.getGroup(PMEM_VIEW)) {
      String host = view.getName().substring(0, view.getName().indexOf(':'));
      assertEquals(host + ":marker-" + host, view.getName(), "PMEM dir seen by a map");
    }
    assertEquals(INPUT_FILES, sum(counters.getGroup(PMEM_VIEW)), "maps that looked");
    assertEquals(inputBytes, counters.findCounter(SHORT_CIRCUIT, SHORT_CIRCUIT_BYTES)
        .getValue(), "input bytes the maps read short-circuit from their own host's DataNode");
  }

  private Job wordCount(Configuration conf, String name, Path out) throws IOException {
    conf.set(LOCAL_PMEM_DIR, platform.localPmemDir().toString());
    Job job = WordCountJobs.withCombiner(conf, "hosts-" + name, INPUT, out);
    job.setMapperClass(HostProbeMapper.class);
    job.setReducerClass(HostProbeReducer.class);
    job.setNumReduceTasks(3);
    return job;
  }

  private static Set<String> names(CounterGroup group, String prefix) {
    Set<String> names = new TreeSet<>();
    for (Counter counter : group) {
      if (counter.getName().startsWith(prefix)) {
        names.add(counter.getName().substring(prefix.length()));
      }
    }
    return names;
  }

  private static long sum(CounterGroup group) {
    long sum = 0;
    for (Counter counter : group) {
      sum += counter.getValue();
    }
    return sum;
  }

  private byte[] output(Path dir) throws IOException {
    byte[] all = JobOutputs.partFiles(fs, dir);
    assertTrue(all.length > 0, "no output in " + dir);
    return all;
  }

  /** The task's host, as its environment names it ("none" off the hosts). */
  static String host() {
    return Objects.toString(System.getenv(Placement.HOST_ENV), "none");
  }

  /**
   * Word count's mapper that first counts its host, what it sees of the PMEM dir, and the bytes
   * of its split it reads short-circuit.
   */
  public static final class HostProbeMapper extends WordCount.TokenizerMapper {
    @Override
    protected void setup(Context context) throws IOException {
      String host = host();
      context.getCounter(HOSTS, "map-" + host).increment(1);
      java.nio.file.Path dir = Paths.get(context.getConfiguration().get(LOCAL_PMEM_DIR));
      String markers;
      try (Stream<java.nio.file.Path> files = Files.list(dir)) {
        markers = files.map(f -> f.getFileName().toString())
            .filter(name -> name.startsWith("marker-")).sorted()
            .collect(Collectors.joining(","));
      }
      context.getCounter(PMEM_VIEW, host + ":" + markers).increment(1);
      FileSplit split = (FileSplit) context.getInputSplit();
      try (FSDataInputStream in = split.getPath().getFileSystem(context.getConfiguration())
          .open(split.getPath())) {
        in.seek(split.getStart());
        in.readNBytes((int) split.getLength());
        if (in instanceof HdfsDataInputStream hdfs) {
          context.getCounter(SHORT_CIRCUIT, SHORT_CIRCUIT_BYTES)
              .increment(hdfs.getReadStatistics().getTotalShortCircuitBytesRead());
        }
      }
    }
  }

  /** Word count's reducer that counts its host. */
  public static final class HostProbeReducer extends WordCount.IntSumReducer {
    @Override
    protected void setup(Context context) {
      context.getCounter(HOSTS, "reduce-" + host()).increment(1);
    }
  }
}
