package io.marvel.faas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskCounter;
import org.apache.hadoop.mapreduce.TaskType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs of another process through the registry, with a real {@link StatusPublisher}. */
class RemoteJobsTest {
  private static final JobID JOB = PublishedJobs.JOB;
  private static final String ID = JOB.toString();
  private static final Coordinator GONE = new Coordinator(Integer.MAX_VALUE, 1);

  @TempDir
  Path dir;

  private static JobSnapshot snapshot(JobStatus.State state, Coordinator coordinator) {
    return PublishedJobs.snapshot(state, System.currentTimeMillis(), coordinator);
  }

  @Test
  void killIsCarriedOutByTheCoordinatorAndWaitedFor() throws Exception {
    JobRegistry registry = new JobRegistry(dir);
    AtomicReference<JobStatus.State> state = new AtomicReference<>(JobStatus.State.RUNNING);
    CountDownLatch killed = new CountDownLatch(1);
    StatusPublisher publisher = new StatusPublisher(registry, ID,
        () -> snapshot(state.get(), Coordinator.current()), killed::countDown,
        (attempt, fail) -> false);
    // The job thread: killed, it ends KILLED and publishes its end.
    Thread job = new Thread(() -> {
      try {
        if (killed.await(30, TimeUnit.SECONDS)) {
          state.set(JobStatus.State.KILLED);
          publisher.close(snapshot(JobStatus.State.KILLED, Coordinator.current()));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    job.start();
    publisher.start();
    try {
      RemoteJobs remote = new RemoteJobs(registry, 20_000);
      assertEquals(JobStatus.State.RUNNING, remote.find(JOB).orElseThrow().state());
      remote.kill(JOB);
      assertEquals(0, killed.getCount(), "the coordinator's kill ran");
      assertEquals(JobStatus.State.KILLED, remote.find(JOB).orElseThrow().state());
      assertFalse(Files.exists(registry.killFile(ID)), "the handled request is gone");
    } finally {
      killed.countDown();
      job.join();
    }
  }

  @Test
  void killTaskIsCarriedOutByTheCoordinatorWhichAnswers() throws Exception {
    JobRegistry registry = new JobRegistry(dir);
    List<String> ended = new java.util.concurrent.CopyOnWriteArrayList<>();
    StatusPublisher publisher = new StatusPublisher(registry, ID,
        () -> snapshot(JobStatus.State.RUNNING, Coordinator.current()), () -> { },
        (attempt, fail) -> ended.add(attempt + (fail ? " failed" : " killed")));
    publisher.start();
    try {
      RemoteJobs remote = new RemoteJobs(registry, 10_000);
      TaskAttemptID attempt = TaskAttemptID.forName(
          "attempt" + ID.substring("job".length()) + "_m_000000_0");
      assertTrue(remote.endAttempt(attempt, true));
      assertEquals(List.of(attempt + " failed"), ended);
    } finally {
      publisher.close(snapshot(JobStatus.State.SUCCEEDED, Coordinator.current()));
    }
    TaskAttemptID late = TaskAttemptID.forName(
        "attempt" + ID.substring("job".length()) + "_m_000001_0");
    assertFalse(new RemoteJobs(registry, 10_000).endAttempt(late, false),
        "the job has ended: nothing to kill");
  }

  @Test
  void tickAfterTheEndDoesNotOverwriteTheFinalStatus() throws IOException {
    JobRegistry registry = new JobRegistry(dir);
    StatusPublisher publisher = new StatusPublisher(registry, ID,
        () -> snapshot(JobStatus.State.RUNNING, Coordinator.current()), () -> { },
        (attempt, fail) -> false);
    publisher.start();
    publisher.close(snapshot(JobStatus.State.SUCCEEDED, Coordinator.current()));
    registry.requestKill(ID);
    publisher.tick();
    assertEquals(JobStatus.State.SUCCEEDED, registry.read(ID).orElseThrow().state());
    assertTrue(Files.exists(registry.killFile(ID)), "an ended publisher takes no requests");
  }

  @Test
  void killOfAnEndedJobChangesNothing() throws IOException {
    JobRegistry registry = new JobRegistry(dir);
    registry.publish(snapshot(JobStatus.State.SUCCEEDED, Coordinator.current()));
    new RemoteJobs(registry, 1_000).kill(JOB);
    assertFalse(Files.exists(registry.killFile(ID)));
    assertEquals(JobStatus.State.SUCCEEDED, registry.read(ID).orElseThrow().state());
  }

  @Test
  void killNobodyTakesFailsNamingThePidAndWithdrawsTheRequest() throws IOException {
    JobRegistry registry = new JobRegistry(dir);
    JobSnapshot running = snapshot(JobStatus.State.RUNNING, Coordinator.current());
    registry.publish(running);
    IOException e = assertThrows(IOException.class,
        () -> new RemoteJobs(registry, 300).kill(JOB));
    assertTrue(e.getMessage().startsWith("Job " + ID + " was not killed: its coordinator (pid "
        + ProcessHandle.current().pid() + ") did not take the kill request within 0.3 s; the"
        + " job is still RUNNING"), e.getMessage());
    assertFalse(Files.exists(registry.killFile(ID)));
  }

  @Test
  void jobOfADeadCoordinatorIsFailedAndCannotBeKilled() throws IOException {
    JobRegistry registry = new JobRegistry(dir);
    registry.publish(PublishedJobs.snapshot(JobStatus.State.RUNNING,
        System.currentTimeMillis() - 60_000, GONE));
    RemoteJobs remote = new RemoteJobs(registry, 1_000);
    JobStatus status = remote.find(JOB).orElseThrow().status();
    assertEquals(JobStatus.State.FAILED, status.getState());
    assertTrue(status.getFailureInfo().contains("the submitting process (pid "
        + Integer.MAX_VALUE + ") stopped"), status.getFailureInfo());
    assertEquals(List.of(JobStatus.State.FAILED),
        remote.statuses().stream().map(JobStatus::getState).toList());
    remote.kill(JOB);
    assertFalse(Files.exists(registry.killFile(ID)));
  }

  @Test
  void publishedCountersAndTaskReportsAreServed() throws IOException {
    JobRegistry registry = new JobRegistry(dir);
    registry.publish(snapshot(JobStatus.State.RUNNING, Coordinator.current()));
    RemoteJobs remote = new RemoteJobs(registry, 1_000);
    assertEquals(4, remote.counters(JOB).findCounter(TaskCounter.MAP_INPUT_RECORDS).getValue());
    assertEquals(2, remote.reports(JOB, TaskType.MAP).length);
    assertEquals(1, remote.events(JOB, 0, 10).length);
  }

  @Test
  void whatWasNotPublishedIsRefusedPointingAtTheSummary() throws IOException {
    JobRegistry registry = new JobRegistry(dir);
    registry.publish(PublishedJobs.withoutTaskDetails(System.currentTimeMillis()));
    RemoteJobs remote = new RemoteJobs(registry, 1_000);
    IOException reports = assertThrows(IOException.class,
        () -> remote.reports(JOB, TaskType.MAP));
    assertEquals("Job " + ID + " runs in another process (pid " + ProcessHandle.current().pid()
        + "), which does not publish task reports (it has over 1000 tasks, too many to"
        + " publish); ask in the submitting process, or read the job's summary "
        + dir.resolve(ID + ".json") + " once the job has ended", reports.getMessage());
    IOException diagnostics = assertThrows(IOException.class,
        () -> remote.diagnostics(JOB, "attempt_faas42_0007_m_000000_0"));
    assertTrue(diagnostics.getMessage().contains("does not publish the diagnostics of task"
        + " attempt attempt_faas42_0007_m_000000_0"), diagnostics.getMessage());
  }

  @Test
  void unknownJobIsNamedWithTheRegistry() {
    IOException e = assertThrows(IOException.class,
        () -> new RemoteJobs(new JobRegistry(dir), 1_000).counters(JOB));
    assertEquals("unknown job " + ID + ": it was not submitted by this process and is not in"
        + " the job registry " + dir + " (mapreduce.faas.summary.dir) of this host",
        e.getMessage());
  }
}
