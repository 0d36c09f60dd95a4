package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessTreeCpuTest {
  @Test
  void readsOwnAndReapedChildTicksAfterACommandNameWithParenthesesAndSpaces() {
    // Fields 14-17 are utime 250, stime 30, cutime 1000, cstime 7.
    String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 9000 0 0 0 250 30 1000 7 20 0"
        + " 40 0 123 4000000 5000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
    ProcessTreeCpu.Ticks ticks = ProcessTreeCpu.parse(stat);
    assertEquals(280, ticks.ownTicks());
    assertEquals(1007, ticks.reapedChildTicks());
    assertEquals(1287, ticks.total());
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
}
