package io.marvel.hdfs.hosts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.hdfs.pmem.ChildDataNode;
import io.marvel.pmem.Pmem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FsShell;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.protocol.DatanodeInfo;
import org.apache.hadoop.hdfs.protocol.HdfsConstants.DatanodeReportType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Simulated hosts on this machine: real DataNodes in their own network namespaces register with
 * their own addresses, HDFS places a writer's replica on the writer's host and serves it over the
 * test link to a reader on another host, and nothing of a run is left after it ends, also when
 * its JVM was killed.
 */
@Tag("integration")
class SimulatedHostsTest {
  private static final Instant TESTS_STARTED = Instant.now();

  private static final Path LOGS = Paths.get("target", "simulated-hosts");
  private static final int BLOCK_SIZE = 1024 * 1024;

  @BeforeAll
  static void requirePmem() throws IOException {
    Pmem.ensureAvailable();
    Files.createDirectories(LOGS);
  }

  @Test
  void aFileWrittenOnOneHostIsStoredThereAndReadFromAnother() throws Exception {
    Configuration overrides = new Configuration(false);
    overrides.setLong(DFSConfigKeys.DFS_BLOCK_SIZE_KEY, BLOCK_SIZE);
    SimulatedHosts hosts = startOrSkip(3, overrides);
    HostRun run = runOf(hosts);
    List<Long> pids = new ArrayList<>();
    try (hosts; DistributedFileSystem fs =
        (DistributedFileSystem) FileSystem.newInstance(hosts.clientConf())) {
      pids.addAll(hosts.serverPids());
      Set<String> addresses = hosts.hosts().stream().map(SimulatedHost::address)
          .collect(Collectors.toCollection(TreeSet::new));
      Set<String> registered = new TreeSet<>();
      for (DatanodeInfo dataNode : fs.getDataNodeStats(DatanodeReportType.LIVE)) {
        registered.add(dataNode.getIpAddr());
      }
      assertEquals(addresses, registered, "addresses of the live DataNodes");

      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path("/pmem");
      fs.mkdirs(dir);
      fs.setStoragePolicy(dir, "ALL_NVDIMM");
      byte[] data = new byte[3 * BLOCK_SIZE + 12345];
      new Random(13).nextBytes(data);
      Path input = Files.write(LOGS.resolve(hosts.name() + "-input"), data).toAbsolutePath();
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir, "file");
      // One replica: the NameNode places it on the writer's DataNode if it knows the writer's
      // address as a DataNode's, which it only does if host 1's client came from host 1.
      pids.add(runClient(hosts, 1, "put", "-D", "dfs.replication=1", "-put",
          input.toString(), file.toString()));

      BlockLocation[] blocks = fs.getFileBlockLocations(file, 0, data.length);
      assertEquals(4, blocks.length, "blocks of " + file);
      for (BlockLocation block : blocks) {
        assertArrayEquals(new String[] {hosts.host(1).address() + ":9866"}, block.getNames(),
            "replicas of the block at " + block.getOffset());
        assertArrayEquals(new StorageType[] {StorageType.NVDIMM}, block.getStorageTypes(),
            "storage of the block at " + block.getOffset());
      }
      assertEquals(List.of(0, blocks.length, 0), pmemBlockFiles(hosts),
          "PMEM block files on host0, host1, host2");
      for (SimulatedHost host : hosts.hosts()) {
        assertEquals(host.index() == 1 ? blocks.length : 0, blockFilesSeenOnHost(hosts, host),
            "PMEM block files that a process on " + host + " sees in its local PMEM dir");
      }

      Path output = LOGS.resolve(hosts.name() + "-output").toAbsolutePath();
      Files.deleteIfExists(output);
      // Host 2 holds no replica: its client reads every block from host 1 over the link.
      pids.add(runClient(hosts, 2, "get", "-get", file.toString(), output.toString()));
      assertArrayEquals(data, Files.readAllBytes(output), "bytes read on host2");
      Files.delete(input);
      Files.delete(output);
    }
    assertNothingLeft(run, pids);
  }

  @Test
  void theNextStartSweepsTheLeftoversOfAKilledRun() throws Exception {
    checkPermittedOrSkip();
    Path log = LOGS.resolve("killed-run.log");
    Process owner = new ProcessBuilder(ChildDataNode.javaCommand("256m", List.of(), null,
        SimulatedHostsMain.class.getName(), List.of("start", "1", LOGS.toString())))
        .redirectErrorStream(true).start();
    HostRun run = null;
    List<Long> pids = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(),
        StandardCharsets.UTF_8))) {
      StringBuilder printed = new StringBuilder();
      for (String line = out.readLine(); line != null && !"ready".equals(line);
          line = out.readLine()) {
        printed.append(line).append('\n');
        if (line.startsWith("run=")) {
          run = new HostRun(HostRun.numberOf(line.substring(4)).orElseThrow());
        }
      }
      Files.writeString(log, printed);
      assertTrue(owner.isAlive() && run != null, "the run did not start; see " + log);
      pids.addAll(HostNetwork.processes(run.hostNamespace(0)));
      assertFalse(pids.isEmpty(), "no process runs on the killed run's host");
    } finally {
      owner.destroyForcibly();
      owner.waitFor(30, TimeUnit.SECONDS);
    }
    // Killed with SIGKILL: no shutdown hook ran, so its namespaces, DataNode and dir are left.
    assertTrue(Files.exists(run.dir()), "the killed run's directory");
    assertTrue(Commands.run("ip", "netns", "list").contains(run.hostNamespace(0)),
        "the killed run's namespace");
    List<String> removed = RunRegistry.sweep();
    assertTrue(removed.contains("namespace " + run.hostNamespace(0)), "swept: " + removed);
    assertNothingLeft(run, pids);
  }

  private static SimulatedHosts startOrSkip(int count, Configuration overrides)
      throws IOException {
    try {
      return SimulatedHosts.start(count, LOGS, overrides);
    } catch (HostsUnavailableException e) {
      skip(e);
      throw e;
    }
  }

  private static void checkPermittedOrSkip() throws IOException {
    try {
      SimulatedHosts.checkPermitted();
    } catch (HostsUnavailableException e) {
      skip(e);
    }
  }

  private static void skip(HostsUnavailableException e) {
    System.err.println("SimulatedHostsTest skipped: " + e.getMessage());
    Assumptions.abort(e.getMessage());
  }

  private static HostRun runOf(SimulatedHosts hosts) {
    return new HostRun(HostRun.numberOf(hosts.name()).orElseThrow());
  }

  /** Runs Hadoop's FsShell on host {@code index} and waits for it to succeed; @return its pid */
  private static long runClient(SimulatedHosts hosts, int index, String what, String... args)
      throws IOException, InterruptedException {
    Path log = LOGS.resolve(hosts.name() + "-host" + index + "-" + what + ".log");
    Process client = hosts.host(index).java(FsShell.class.getName(), List.of(args), log);
    assertTrue(client.waitFor(90, TimeUnit.SECONDS), "the client on host" + index + " hangs");
    assertEquals(0, client.exitValue(), "exit of the client on host" + index + ": "
        + Files.readString(log));
    return client.pid();
  }

  /** @return the number of PMEM data files (blk_id, not .meta) in each host's PMEM dir */
  private static List<Integer> pmemBlockFiles(SimulatedHosts hosts) throws IOException {
    List<Integer> counts = new ArrayList<>();
    for (SimulatedHost host : hosts.hosts()) {
      try (Stream<Path> files = Files.walk(host.pmemDir())) {
        counts.add((int) files.filter(path -> path.getParent().getFileName().toString()
            .equals("pmem") && path.getFileName().toString().matches("blk_\\d+")).count());
      }
    }
    return counts;
  }

  /** Counts, with a shell on {@code host}, the PMEM data files in its local PMEM dir. */
  private static int blockFilesSeenOnHost(SimulatedHosts hosts, SimulatedHost host)
      throws IOException, InterruptedException {
    Path log = LOGS.resolve(hosts.name() + "-host" + host.index() + "-ls.log");
    Process ls = host.exec(List.of("sh", "-c", "ls " + host.localPmemDir()
        + "/datanode/current/*/pmem 2>/dev/null | grep -c '^blk_[0-9]*$'"), log);
    assertTrue(ls.waitFor(30, TimeUnit.SECONDS), "ls on " + host);
    return Integer.parseInt(Files.readString(log).strip());
  }

  private static boolean madeSinceTheTestsStarted(Path path) {
    try {
      return Files.getLastModifiedTime(path).toInstant().isAfter(TESTS_STARTED);
    } catch (IOException e) {
      return false; // gone meanwhile
    }
  }

  private static void assertNothingLeft(HostRun run, List<Long> pids) throws IOException {
    String prefix = run.name() + "-";
    assertFalse(Commands.run("ip", "netns", "list").contains(prefix),
        "namespaces of " + run + " left");
    assertFalse(HostNetwork.links().contains(run.gatewayLink()), "gateway link left");
    assertFalse(Files.exists(run.dir()), run.dir() + " left");
    // Jetty names its work dir after the address it serves; a killed server leaves it behind.
    // Only this test's: a run number is reused, and older leftovers are not this test's doing.
    String jettyDirs = "jetty-" + run.subnet().replace('.', '_');
    try (Stream<Path> tmp = Files.list(Paths.get("/tmp"))) {
      assertEquals(List.of(), tmp.filter(path -> path.getFileName().toString()
          .startsWith(jettyDirs) && madeSinceTheTestsStarted(path))
          .map(path -> path.getFileName().toString()).toList(), "Jetty work dirs left in /tmp");
    }
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "process " + pid + " of " + run + " left");
    }
  }
}
