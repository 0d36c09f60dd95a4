package io.marvel.faas.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of this JVM and every process below it (task containers and their JVMs, yarn's
 * ApplicationMaster and the shells that start them), from Linux's {@code /proc/<pid>/stat}.
 *
 * <p>A process's total is its own {@code utime + stime} plus {@code cutime + cstime}, the CPU
 * of the children it has reaped (which include their reaped children). The CPU used between
 * two snapshots is then exact to the clock tick (10 ms) without watching processes come and
 * go: this JVM's total grew by what it used and what its children that ended used; the
 * processes alive at the end add their totals, and those alive at the start subtract the part
 * they had already used. Every process that starts a child waits for it (Java's
 * {@code Process}, YARN's container shells), so no CPU escapes to an unrelated reaper. A
 * process that ends in the instant between the listing and the read of the stat files could
 * be missed or counted twice; at the end of a job nothing is ending.
 */
final class ProcessTreeCpu {
  /** Linux's {@code USER_HZ}, the unit of {@code /proc/<pid>/stat} times, on every arch. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcessTreeCpu() {
  }

  /**
   * One process's CPU from its stat line.
   *
   * @param ownTicks {@code utime + stime}
   * @param reapedChildTicks {@code cutime + cstime}
   * @param minorFaults {@code minflt + cminflt}: page faults it and its reaped children took
   *     that needed no I/O, as a first touch of a mapped page
   */
  record Ticks(long ownTicks, long reapedChildTicks, long minorFaults) {
    long total() {
      return ownTicks + reapedChildTicks;
    }
  }

  /** What a process below this JVM does, told by its command line. */
  enum Role {
    /** an action container (the embedded platform's runtime) or a yarn task or AM JVM */
    CONTAINER,
    /** a NameNode or DataNode process (the simulated hosts' HDFS) */
    HDFS,
    /** anything else: the shells and {@code ip netns exec} that start the others */
    OTHER;

    private static final Set<String> CONTAINER_MAINS = Set.of(
        "io.marvel.whisk.platform.runtime.RuntimeMain", "org.apache.hadoop.mapred.YarnChild",
        "org.apache.hadoop.mapreduce.v2.app.MRAppMaster");
    private static final Set<String> HDFS_MAINS = Set.of(
        "io.marvel.hdfs.hosts.NameNodeProcess", "io.marvel.hdfs.pmem.DataNodeProcess",
        "org.apache.hadoop.hdfs.server.namenode.NameNode",
        "org.apache.hadoop.hdfs.server.datanode.DataNode");

    /** @param arguments the process's command line, one element per argument */
    static Role of(List<String> arguments) {
      if (arguments.stream().anyMatch(CONTAINER_MAINS::contains)) {
        return CONTAINER;
      }
      return arguments.stream().anyMatch(HDFS_MAINS::contains) ? HDFS : OTHER;
    }
  }

  /**
   * @param self this JVM's total (ticks)
   * @param descendants the totals (ticks) of the processes below it, by pid
   * @param roles what the processes below it do, by pid (a pid missing here is {@code OTHER})
   * @param faults the minor page faults of the processes below it, by pid
   */
  record Snapshot(long self, Map<Long, Long> descendants, Map<Long, Role> roles,
      Map<Long, Long> faults) {
    Snapshot {
      descendants = Map.copyOf(descendants);
      roles = Map.copyOf(roles);
      faults = Map.copyOf(faults);
    }

    Snapshot(long self, Map<Long, Long> descendants) {
      this(self, descendants, Map.of(), Map.of());
    }
  }

  /**
   * @param statLine the content of {@code /proc/<pid>/stat}
   * @return its CPU fields
   * @throws IllegalArgumentException if the line is not a stat line
   */
  static Ticks parse(String statLine) {
    // The command name (field 2) is in parentheses and may hold spaces and parentheses itself;
    // the fields after the last ')' start with the state (field 3).
    int close = statLine.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
    }
    String[] f = statLine.substring(close + 1).trim().split("\\s+");
    if (f.length < 15) {
      throw new IllegalArgumentException("a /proc/<pid>/stat line too short: " + statLine);
    }
    // minflt, cminflt are fields 10 and 11, utime, stime, cutime, cstime 14 to 17; f[0] is 3.
    return new Ticks(Long.parseLong(f[11]) + Long.parseLong(f[12]),
        Long.parseLong(f[13]) + Long.parseLong(f[14]),
        Long.parseLong(f[7]) + Long.parseLong(f[8]));
  }

  /**
   * @param start the snapshot at the start
   * @param end the snapshot at the end
   * @return CPU seconds used in between by this JVM and the processes below it
   */
  static double seconds(Snapshot start, Snapshot end) {
    long ticks = end.self() - start.self();
    ticks += end.descendants().values().stream().mapToLong(Long::longValue).sum();
    ticks -= start.descendants().values().stream().mapToLong(Long::longValue).sum();
    return ticks / TICKS_PER_SECOND;
  }

  /**
   * @param start the snapshot at the start
   * @param end the snapshot at the end
   * @param role the role
   * @return CPU seconds used in between by the processes of that role alive at the end (one
   *     that ended in between is in its parent's reaped time, which {@link #seconds} counts)
   */
  static double seconds(Snapshot start, Snapshot end, Role role) {
    return growth(start.descendants(), end.descendants(), end.roles(), role) / TICKS_PER_SECOND;
  }

  /**
   * @return the minor page faults taken in between by the processes of that role alive at the
   *     end: on this machine's hypervisor each costs microseconds of CPU (the first touch of a
   *     page through a mapping), which tells a DataNode writing through mappings from one that
   *     writes with {@code write()}
   */
  static long minorFaults(Snapshot start, Snapshot end, Role role) {
    return growth(start.faults(), end.faults(), end.roles(), role);
  }

  /**
   * @return how much a per-process count grew from {@code start} to {@code end}, summed over
   *     the processes of {@code role} at the end (a process new since the start counts whole)
   */
  private static long growth(Map<Long, Long> start, Map<Long, Long> end, Map<Long, Role> roles,
      Role role) {
    long sum = 0;
    for (Map.Entry<Long, Long> process : end.entrySet()) {
      if (roles.getOrDefault(process.getKey(), Role.OTHER) == role) {
        sum += process.getValue() - start.getOrDefault(process.getKey(), 0L);
      }
    }
    return sum;
  }

  /**
   * @return the totals of this JVM and of every process below it now
   * @throws IOException if this JVM's stat file cannot be read
   */
  static Snapshot take() throws IOException {
    long self = read(Path.of("/proc/self/stat")).total();
    Map<Long, Long> below = new HashMap<>();
    Map<Long, Role> roles = new HashMap<>();
    Map<Long, Long> faults = new HashMap<>();
    ProcessHandle.current().descendants().forEach(p -> {
      try {
        Ticks ticks = read(Path.of("/proc", Long.toString(p.pid()), "stat"));
        below.put(p.pid(), ticks.total());
        faults.put(p.pid(), ticks.minorFaults());
        roles.put(p.pid(), Role.of(commandLine(p.pid())));
      } catch (NoSuchFileException e) {
        // Ended and reaped since the listing: its CPU is in its parent's reaped-children time.
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the stat of process " + p.pid(), e);
      }
    });
    return new Snapshot(self, below, roles, faults);
  }

  /** @return the arguments of {@code /proc/<pid>/cmdline}, which are NUL-separated */
  private static List<String> commandLine(long pid) throws IOException {
    byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
    return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
  }

  private static Ticks read(Path stat) throws IOException {
    return parse(Files.readString(stat, StandardCharsets.US_ASCII));
  }
}
