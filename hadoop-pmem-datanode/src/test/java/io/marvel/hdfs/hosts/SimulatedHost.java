package io.marvel.hdfs.hosts;

import io.marvel.hdfs.pmem.ChildDataNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated host: a network namespace with its own address and a PMEM directory of its
 * own. Whatever runs "on" the host is started through {@link #commandPrefix()}; the fixture
 * kills it when the run ends.
 */
public final class SimulatedHost {
  /** Heap of the JVMs {@link #java} starts. */
  private static final String JVM_HEAP = "256m";

  private final int index;
  private final String namespace;
  private final String address;
  private final Path pmemDir;
  private final Path clientConfDir;

  SimulatedHost(int index, String namespace, String address, Path pmemDir, Path clientConfDir) {
    this.index = index;
    this.namespace = namespace;
    this.address = address;
    this.pmemDir = pmemDir;
    this.clientConfDir = clientConfDir;
  }

  /** @return its position in the run, 0 for the host of the NameNode */
  public int index() {
    return index;
  }

  /** @return its network namespace, e.g. marvel-h3-host1 */
  public String namespace() {
    return namespace;
  }

  /** @return its IPv4 address on the run's link (198.18.0.0/15) */
  public String address() {
    return address;
  }

  /** @return its PMEM directory, /dev/shm/marvel-hN/hostI */
  public Path pmemDir() {
    return pmemDir;
  }

  /** @return the command that runs what follows it on this host: ip netns exec namespace */
  public List<String> commandPrefix() {
    return List.of("ip", "netns", "exec", namespace);
  }

  /**
   * Starts {@code command} on this host.
   *
   * @param log where its stdout and stderr go
   */
  public Process exec(List<String> command, Path log) throws IOException {
    List<String> full = new ArrayList<>(commandPrefix());
    full.addAll(command);
    return new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
  }

  /**
   * Starts a JVM on this host running {@code mainClass} on this JVM's class path after the
   * run's client site files, so that e.g. Hadoop's FsShell is a client of the run's HDFS.
   */
  public Process java(String mainClass, List<String> args, Path log) throws IOException {
    return exec(ChildDataNode.javaCommand(JVM_HEAP, clientConfDir, mainClass, args), log);
  }

  @Override
  public String toString() {
    return "host" + index + " (" + address + ", " + namespace + ")";
  }
}
