package io.marvel.hdfs.hosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * A cluster of hosts simulated on this machine, for tests of code that runs on many hosts.
 * Each host is a Linux network namespace with its own address on a private link (a /24 of
 * 198.18.0.0/15 per run), its own PMEM directory {@code /dev/shm/marvel-hN/hostI} and its own
 * PMEM DataNode JVM listening on its address; the NameNode runs on host 0. The starting JVM
 * reaches the hosts through a gateway link of the run.
 *
 * <p>Needs root (it runs {@code ip netns}); {@link HostsUnavailableException} says why it cannot
 * start otherwise. {@link #close()} removes everything the run made: its processes (every
 * process in its namespaces), namespaces, links and directory. A JVM shutdown hook closes it if
 * the JVM ends first, and each start sweeps the leftovers of runs whose JVM was killed.
 */
public final class SimulatedHosts implements AutoCloseable {
  private final HostRun run;
  private final List<SimulatedHost> hosts = new ArrayList<>();
  private final HostsHdfs hdfs;
  private final Thread shutdownHook;
  private boolean closed;

  private SimulatedHosts(HostRun run, int count, Path logDir, Configuration overrides,
      Path diskDir) {
    this.run = run;
    for (int i = 0; i < count; i++) {
      hosts.add(new SimulatedHost(i, run));
    }
    this.hdfs = new HostsHdfs(run, hosts, logDir, overrides, diskDir);
    this.shutdownHook = new Thread(this::closeInHook, run.name() + "-cleanup");
  }

  /**
   * Starts {@code count} hosts with their HDFS and waits until every DataNode is live.
   *
   * @param logDir where the logs of the NameNode and DataNodes go (kept after the run)
   * @param overrides HDFS settings replacing the fixture's (e.g. dfs.blocksize), may be empty
   * @throws HostsUnavailableException when this machine or user cannot run them
   */
  public static SimulatedHosts start(int count, Path logDir, Configuration overrides)
      throws IOException {
    return start(count, logDir, overrides, "test");
  }

  /**
   * As {@link #start(int, Path, Configuration)}, but with stock DataNodes (Hadoop's own dataset,
   * no PMEM) whose one volume is {@code [DISK]<diskDir>/hostI}: the same hosts with disks
   * instead of PMEM, e.g. for a benchmark's baseline. The caller removes {@code diskDir}.
   *
   * @param diskDir a directory on a disk, outside /dev/shm
   * @throws HostsUnavailableException when this machine or user cannot run them
   */
  public static SimulatedHosts startOnDisk(int count, Path logDir, Configuration overrides,
      Path diskDir) throws IOException {
    return start(count, logDir, overrides, "test", diskDir.toAbsolutePath());
  }

  static SimulatedHosts start(int count, Path logDir, Configuration overrides, String owner)
      throws IOException {
    return start(count, logDir, overrides, owner, null);
  }

  private static SimulatedHosts start(int count, Path logDir, Configuration overrides,
      String owner, Path diskDir) throws IOException {
    if (count < 1 || count > HostRun.MAX_HOSTS) {
      throw new IllegalArgumentException("hosts: " + count + " is not in [1, "
          + HostRun.MAX_HOSTS + "]");
    }
    checkPermitted();
    Files.createDirectories(logDir);
    SimulatedHosts cluster = new SimulatedHosts(RunRegistry.claim(owner), count, logDir,
        overrides, diskDir);
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      HostNetwork.create(cluster.run, count);
      Files.createDirectories(cluster.run.localPmemDir());
      for (SimulatedHost host : cluster.hosts) {
        Files.createDirectories(host.pmemDir());
      }
      cluster.hdfs.start();
      cluster.describe();
      return cluster;
    } catch (IOException | RuntimeException | Error e) {
      try {
        cluster.close();
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Fails with the reason when this process cannot create network namespaces. */
  static void checkPermitted() throws IOException {
    String status = Files.readString(Path.of("/proc/self/status"), StandardCharsets.UTF_8);
    String effectiveUid = status.lines().filter(line -> line.startsWith("Uid:"))
        .map(line -> line.split("\\s+")[2]).findFirst().orElse("?");
    if (!"0".equals(effectiveUid)) {
      throw new HostsUnavailableException("they need root for 'ip netns'; this process runs as"
          + " uid " + effectiveUid);
    }
    try {
      Commands.run("ip", "-V");
    } catch (IOException e) {
      throw new HostsUnavailableException("the ip command (iproute2) does not run: "
          + e.getMessage());
    }
  }

  /** Writes what a person needs to use the run into its directory (cluster.properties). */
  private void describe() throws IOException {
    StringBuilder text = new StringBuilder();
    text.append("namenode=").append(nameNodeUri()).append('\n');
    text.append("client-conf-dir=").append(clientConfDir()).append('\n');
    text.append("local-pmem-dir=").append(run.localPmemDir()).append('\n');
    text.append("gateway=").append(run.gatewayLink()).append(' ').append(run.gatewayAddress())
        .append('\n');
    for (SimulatedHost host : hosts) {
      text.append("host").append(host.index()).append('=').append(host.address()).append(' ')
          .append(host.namespace()).append(' ').append(host.pmemDir()).append('\n');
    }
    Files.writeString(run.dir().resolve("cluster.properties"), text, StandardCharsets.UTF_8);
  }

  /** @return the run's name, e.g. marvel-h3: the prefix of all its names */
  public String name() {
    return run.name();
  }

  /** @return the hosts, host 0 first */
  public List<SimulatedHost> hosts() {
    return List.copyOf(hosts);
  }

  public SimulatedHost host(int index) {
    return hosts.get(index);
  }

  /** @return the run's directory, /dev/shm/marvel-hN */
  public Path dir() {
    return run.dir();
  }

  /** @return the name of the gateway link in the starting JVM's namespace */
  public String gatewayLink() {
    return run.gatewayLink();
  }

  /** @return hdfs://(host 0's address):8020 */
  public String nameNodeUri() {
    return hdfs.nameNodeUri();
  }

  /** @return a configuration for clients of the run's HDFS (in this JVM or on a host) */
  public Configuration clientConf() {
    return hdfs.clientConf();
  }

  /**
   * @return {@link #clientConf()} as a directory of site files (HADOOP_CONF_DIR) for clients on
   *     the hosts; {@link SimulatedHost#java} puts it on their class path
   */
  public Path clientConfDir() {
    return run.clientConfDir();
  }

  /** @return the ids of the NameNode and DataNode processes */
  public List<Long> serverPids() {
    return hdfs.pids();
  }

  /** Removes everything the run made; calling it again does nothing. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // The JVM is shutting down (this is the hook) or the hook was never added.
    }
    RunRegistry.remove(run);
  }

  /** The shutdown hook: closes, and on failure says so (the next start sweeps the rest). */
  private void closeInHook() {
    try {
      close();
    } catch (IOException | RuntimeException e) {
      System.err.println("removing " + run + " failed; the next start sweeps it: " + e);
    }
  }
}
