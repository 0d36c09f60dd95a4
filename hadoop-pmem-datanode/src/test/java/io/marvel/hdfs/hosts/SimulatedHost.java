package io.marvel.hdfs.hosts;

import io.marvel.hdfs.pmem.ChildDataNode;
import java.io.IOException;
import java.nio.file.Files;
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
  /**
   * Run by sh on the host: binds the host's PMEM dir ($1) over the local PMEM path ($2), then
   * becomes the command. {@code ip netns exec} gives each command a mount namespace of its own,
   * so the bind is seen by that command and its children only, and ends with them.
   */
  private static final String BIND_PMEM_AND_EXEC = "mount --bind \"$1\" \"$2\" && shift 2"
      + " && exec \"$@\"";

  private final int index;
  private final String namespace;
  private final String address;
  private final Path pmemDir;
  private final Path localPmemDir;
  private final Path clientConfDir;
  private final Path tmpDir;

  SimulatedHost(int index, HostRun run) {
    this.index = index;
    this.namespace = run.hostNamespace(index);
    this.address = run.hostAddress(index);
    this.pmemDir = run.dir().resolve("host" + index);
    this.localPmemDir = run.localPmemDir();
    this.clientConfDir = run.clientConfDir();
    this.tmpDir = run.dir().resolve("tmp").resolve("host" + index).resolve("java");
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

  /**
   * @return its PMEM directory as the starting JVM sees it, /dev/shm/marvel-hN/hostI; processes
   *     on the host see it at {@link #localPmemDir()}
   */
  public Path pmemDir() {
    return pmemDir;
  }

  /**
   * @return where processes on this host see its PMEM directory, /dev/shm/marvel-hN/pmem: the
   *     same path on every host, each seeing its own directory there (and the other hosts'
   *     directories only under their outside paths, which code on a host has no reason to use)
   */
  public Path localPmemDir() {
    return localPmemDir;
  }

  /**
   * @return the command that runs what follows it on this host: in the host's network
   *     namespace ({@code ip netns exec}) with the host's PMEM dir at {@link #localPmemDir()};
   *     the process is the command's own (sh execs it)
   */
  public List<String> commandPrefix() {
    return List.of("ip", "netns", "exec", namespace, "sh", "-c", BIND_PMEM_AND_EXEC,
        "bind-pmem", pmemDir.toString(), localPmemDir.toString());
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
    return exec(ChildDataNode.javaCommand(JVM_HEAP, javaOptions(), clientConfDir, mainClass,
        args), log);
  }

  /**
   * @return the JVM options of JVMs on this host: their java.io.tmpdir in the run's directory,
   *     so that what they leave there (Jetty's work dirs, when killed) goes with the run
   */
  public List<String> javaOptions() throws IOException {
    Files.createDirectories(tmpDir);
    return List.of("-Djava.io.tmpdir=" + tmpDir);
  }

  @Override
  public String toString() {
    return "host" + index + " (" + address + ", " + namespace + ")";
  }
}
