package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessTreeCpuTest {
  @Test
  void readsOwnAndReapedChildTicksAfterACommandNameWithParenthesesAndSpaces() {
    // Fields 10-11 are minflt 9000, cminflt 0; 14-17 utime 250, stime 30, cutime 1000, cstime 7.
    String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 9000 0 0 0 250 30 1000 7 20 0"
        + " 40 0 123 4000000 5000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
    ProcessTreeCpu.Ticks ticks = ProcessTreeCpu.parse(stat);
    assertEquals(280, ticks.ownTicks());
    assertEquals(1007, ticks.reapedChildTicks());
    assertEquals(1287, ticks.total());
    assertEquals(9000, ticks.minorFaults());
  }

  @Test
  void rejectsWhatIsNotAStatLine() {
    assertEquals("not a /proc/<pid>/stat line: hello", assertThrows(
        IllegalArgumentException.class, () -> ProcessTreeCpu.parse("hello")).getMessage());
  }

  @Test
  void countsWhatEachProcessUsedBetweenTheSnapshotsOnce() {
    // At the start: this JVM at 1000 ticks; container 11 (alive throughout) at 300; task JVM 12
    // at 50, which then ends after using 150 more and is reaped by this JVM (its 200 land in
    // this JVM's reaped-children time: 1000 + 40 own + 200). Container 13 starts and uses 70.
    ProcessTreeCpu.Snapshot start = new ProcessTreeCpu.Snapshot(1000, Map.of(11L, 300L,
        12L, 50L));
    ProcessTreeCpu.Snapshot end = new ProcessTreeCpu.Snapshot(1240, Map.of(11L, 420L,
        13L, 70L));
    // 40 (JVM) + 120 (11) + 150 (12) + 70 (13) = 380 ticks.
    assertEquals(3.80, ProcessTreeCpu.seconds(start, end), 1e-9);
  }

  @Test
  void aSnapshotOfThisJvmCountsAtLeastWhatThisThreadUsed() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ProcessTreeCpu.Snapshot before = ProcessTreeCpu.take();
    long threadStart = threads.getCurrentThreadCpuTime();
    long spin = 0;
    while (threads.getCurrentThreadCpuTime() - threadStart < 200_000_000L) {
      spin += System.nanoTime() % 7;
    }
    double thread = (threads.getCurrentThreadCpuTime() - threadStart) / 1e9;
    double used = ProcessTreeCpu.seconds(before, ProcessTreeCpu.take());
    // The JVM's figure includes this thread's; /proc counts in 10 ms ticks.
    assertTrue(used >= thread - 0.02 && spin >= 0, "JVM " + used + " s, thread " + thread);
  }

  @Test
  void tellsContainersAndHdfsDaemonsByTheirMainClass() {
    assertEquals(ProcessTreeCpu.Role.CONTAINER, ProcessTreeCpu.Role.of(List.of("java", "-Xmx1g",
        "-cp", "a.jar", "io.marvel.whisk.platform.runtime.RuntimeMain")));
    assertEquals(ProcessTreeCpu.Role.CONTAINER, ProcessTreeCpu.Role.of(List.of("java",
        "org.apache.hadoop.mapred.YarnChild", "127.0.0.1", "4242")));
    assertEquals(ProcessTreeCpu.Role.HDFS, ProcessTreeCpu.Role.of(List.of("java",
        "io.marvel.hdfs.pmem.DataNodeProcess", "/run/host0-datanode.xml")));
    assertEquals(ProcessTreeCpu.Role.HDFS, ProcessTreeCpu.Role.of(List.of("java",
        "io.marvel.hdfs.hosts.NameNodeProcess", "/run/namenode.xml")));
    // The netns wrapper that starts a DataNode names its config, not its class.
    assertEquals(ProcessTreeCpu.Role.OTHER, ProcessTreeCpu.Role.of(List.of("ip", "netns",
        "exec", "marvel-h0", "sh", "-c", "exec \"$@\"", "/run/host0-datanode.xml")));
  }

  @Test
  void countsEachRolesProcessesBetweenTheSnapshots() {
    // Container 11 used 120 ticks, DataNodes 12 (new) and 13 used 30 and 20, wrapper 14 used 5.
    // DataNode 13 took 700 minor faults, the new 12 took 50, the container 2,000.
    ProcessTreeCpu.Snapshot start = new ProcessTreeCpu.Snapshot(1000, Map.of(11L, 300L,
        13L, 100L, 14L, 1L), Map.of(11L, ProcessTreeCpu.Role.CONTAINER,
        13L, ProcessTreeCpu.Role.HDFS), Map.of(11L, 5_000L, 13L, 300L));
    ProcessTreeCpu.Snapshot end = new ProcessTreeCpu.Snapshot(1000, Map.of(11L, 420L, 12L, 30L,
        13L, 120L, 14L, 6L), Map.of(11L, ProcessTreeCpu.Role.CONTAINER,
        12L, ProcessTreeCpu.Role.HDFS, 13L, ProcessTreeCpu.Role.HDFS),
        Map.of(11L, 7_000L, 12L, 50L, 13L, 1_000L));
    assertEquals(1.20, ProcessTreeCpu.seconds(start, end, ProcessTreeCpu.Role.CONTAINER), 1e-9);
    assertEquals(0.50, ProcessTreeCpu.seconds(start, end, ProcessTreeCpu.Role.HDFS), 1e-9);
    assertEquals(0.05, ProcessTreeCpu.seconds(start, end, ProcessTreeCpu.Role.OTHER), 1e-9);
    CpuLine line = CpuLine.of(2, "hosts-pmem", "terasort", start, end);
    assertEquals(1.20, line.containers(), 1e-9);
    assertEquals(0.50, line.hdfs(), 1e-9);
    assertEquals(0.05, line.rest(), 1e-9);
    assertEquals(750, line.hdfsFaults());
    assertEquals(2_000, ProcessTreeCpu.minorFaults(start, end, ProcessTreeCpu.Role.CONTAINER));
  }

  @Test
  void aSnapshotTellsAChildsRoleFromItsCommandLine() throws Exception {
    // A shell whose $0 is a DataNode's main class, spinning: its command line names the class.
    Process child = new ProcessBuilder("sh", "-c", "end=$(($(date +%s) + 30));"
        + " while [ $(date +%s) -lt $end ]; do :; done", "io.marvel.hdfs.pmem.DataNodeProcess")
        .start();
    try {
      ProcessTreeCpu.Snapshot before = ProcessTreeCpu.take();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      double hdfs = 0;
      while (hdfs < 0.2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        hdfs = ProcessTreeCpu.seconds(before, ProcessTreeCpu.take(), ProcessTreeCpu.Role.HDFS);
      }
      assertEquals(ProcessTreeCpu.Role.HDFS, before.roles().get(child.pid()));
      assertTrue(hdfs >= 0.2, "the spinning child's CPU as HDFS: " + hdfs + " s");
      assertEquals(0, ProcessTreeCpu.seconds(before, ProcessTreeCpu.take(),
          ProcessTreeCpu.Role.CONTAINER), 1e-9);
    } finally {
      child.destroyForcibly().waitFor();
    }
  }

  @Test
  void countsTheMinorFaultsOfAChildAndWhatItReaped() throws Exception {
    ProcessTreeCpu.Snapshot before = ProcessTreeCpu.take();
    // dd touches its 16 MiB buffer (4,096 pages), and the shell reaps it before sleeping.
    Process child = new ProcessBuilder("sh", "-c", "dd if=/dev/zero of=/dev/null bs=16M count=1"
        + " 2>/dev/null; sleep 30", "io.marvel.hdfs.pmem.DataNodeProcess").start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      long faults = 0;
      while (faults < 4096 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        faults = ProcessTreeCpu.minorFaults(before, ProcessTreeCpu.take(),
            ProcessTreeCpu.Role.HDFS);
      }
      assertTrue(faults >= 4096, "minor faults of the shell and its dd: " + faults);
    } finally {
      child.destroyForcibly().waitFor();
    }
  }
}
