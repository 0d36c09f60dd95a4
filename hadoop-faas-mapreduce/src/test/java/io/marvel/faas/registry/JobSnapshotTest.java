package io.marvel.faas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.mapreduce.JobStatus;
import org.junit.jupiter.api.Test;

class JobSnapshotTest {
  private static final Coordinator GONE = new Coordinator(4_000_000, 99);
  private static final long TICK = 1_000;

  @Test
  void runningJobWithStaleHeartbeatAndDeadCoordinatorIsFailedNamingTheProcess() {
    JobSnapshot running = PublishedJobs.snapshot(JobStatus.State.RUNNING, 10_000, GONE);
    JobSnapshot judged = running.judged(10_000 + 6 * TICK, TICK, c -> false);
    assertEquals(JobStatus.State.FAILED, judged.state());
    assertTrue(judged.ended());
    assertEquals(10_000, judged.status().getFinishTime());
    String info = judged.status().getFailureInfo();
    assertTrue(info.startsWith("Job " + PublishedJobs.JOB + " lost its coordinator: the"
        + " submitting process (pid 4000000) stopped without ending the job"), info);
  }

  @Test
  void freshHeartbeatNeedsNoLivenessCheck() {
    JobSnapshot running = PublishedJobs.snapshot(JobStatus.State.RUNNING, 10_000, GONE);
    AtomicInteger asked = new AtomicInteger();
    assertSame(running, running.judged(10_000 + 5 * TICK, TICK, c -> {
      asked.incrementAndGet();
      return false;
    }));
    assertEquals(0, asked.get());
  }

  @Test
  void staleHeartbeatOfLiveCoordinatorStaysRunning() {
    JobSnapshot running = PublishedJobs.snapshot(JobStatus.State.RUNNING, 10_000, GONE);
    assertSame(running, running.judged(60_000, TICK, c -> true));
  }

  @Test
  void endedJobStaysAsItEndedWhateverItsCoordinator() {
    JobSnapshot killed = PublishedJobs.snapshot(JobStatus.State.KILLED, 10_000, GONE);
    assertSame(killed, killed.judged(Long.MAX_VALUE, TICK, c -> false));
  }

  @Test
  void coordinatorIsAliveOnlyAsTheSameProcess() {
    Coordinator self = Coordinator.current();
    assertEquals(ProcessHandle.current().pid(), self.pid());
    assertTrue(self.alive());
    assertFalse(new Coordinator(self.pid(), self.startMs() + 3_600_000).alive(),
        "a reused pid is another process");
    assertFalse(new Coordinator(Integer.MAX_VALUE, 0).alive());
  }
}
