package io.marvel.faas.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;
import org.apache.hadoop.mapreduce.TaskReport;
import org.apache.hadoop.mapreduce.TaskType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code ClientProtocol} calls about jobs whose coordinator is another process of this
 * host and user, from the {@link JobRegistry}: what the coordinator last published, a job whose
 * coordinator died reported FAILED, and kills as requests the coordinator acts on. What the
 * registry does not hold is refused with an {@link IOException}, never made up. Thread-safe.
 */
public final class RemoteJobs {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteJobs.class);
  /** How long {@link #kill} waits for the job to end, ms. */
  public static final long KILL_WAIT_MS = 30_000;
  private static final long POLL_MS = 100;

  private final JobRegistry registry;
  private final long killWaitMs;

  /**
   * @param registry the registry of this host and user
   * @param killWaitMs how long {@link #kill} waits for the job to end, ms
   */
  public RemoteJobs(JobRegistry registry, long killWaitMs) {
    this.registry = registry;
    this.killWaitMs = killWaitMs;
  }

  /**
   * @return the job's latest snapshot, FAILED if its coordinator died; empty if not registered
   * @throws IOException if its status file cannot be read
   */
  public Optional<JobSnapshot> find(JobID jobId) throws IOException {
    return registry.read(jobId.toString()).map(RemoteJobs::judged);
  }

  /**
   * @return the status of every registered job, running or ended
   * @throws IOException if the registry cannot be listed
   */
  public List<JobStatus> statuses() throws IOException {
    return registry.list().stream().map(s -> judged(s).status()).toList();
  }

  /** @throws IOException if the job is not registered or its status cannot be read */
  public Counters counters(JobID jobId) throws IOException {
    return get(jobId).hadoopCounters();
  }

  /** @throws IOException if the job is not registered or published no task details */
  public TaskReport[] reports(JobID jobId, TaskType type) throws IOException {
    return details(get(jobId), "task reports").reports(type);
  }

  /** @throws IOException if the job is not registered or published no task details */
  public TaskCompletionEvent[] events(JobID jobId, int from, int max) throws IOException {
    return details(get(jobId), "task completion events").events(from, max);
  }

  /**
   * @return never
   * @throws IOException always: attempt diagnostics stay with the coordinator
   */
  public String[] diagnostics(JobID jobId, String attemptId) throws IOException {
    throw unanswerable(get(jobId), "the diagnostics of task attempt " + attemptId
        + " (the task reports, mapred job -list-attempt-ids, carry each task's diagnostics)");
  }

  /**
   * Kills a job of another process, as YARN does for a job of another client: asks its
   * coordinator and waits up to the kill wait for the job to end. A job that has ended already
   * is left as it is.
   *
   * @throws IOException if the job is not registered, the request cannot be written, or the job
   *     did not end in time (its state and what became of the request are named)
   */
  public void kill(JobID jobId) throws IOException {
    String id = jobId.toString();
    JobSnapshot job = get(jobId);
    if (job.ended()) {
      LOG.info("Job {} has ended {} already; nothing to kill", id, job.state());
      return;
    }
    registry.requestKill(id);
    long deadline = System.nanoTime() + killWaitMs * 1_000_000L;
    while (true) {
      job = get(jobId);
      if (job.ended()) {
        // Left behind if the coordinator died rather than ended the job.
        registry.takeKillRequest(id);
        LOG.info("Job {} of process {} ended {}", id, job.coordinator().pid(), job.state());
        return;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw notKilled(job);
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for job " + id
            + " to be killed; the kill request " + registry.killFile(id) + " stays");
      }
    }
  }

  /**
   * Kills or fails a task attempt of another process's job ({@code mapred job -kill-task},
   * {@code -fail-task}): asks the job's coordinator and waits up to the kill wait for its
   * answer.
   *
   * @return true if the coordinator ended the attempt; false if it was not running, the job has
   *     ended, or the coordinator did not answer in time (logged)
   * @throws IOException if the job is not registered or the request cannot be written
   */
  public boolean endAttempt(TaskAttemptID attempt, boolean fail) throws IOException {
    String id = attempt.toString();
    JobSnapshot job = get(attempt.getJobID());
    if (job.ended()) {
      LOG.warn("Task attempt {} not {}: job {} has ended {}", id, fail ? "failed" : "killed",
          job.jobId(), job.state());
      return false;
    }
    AttemptEndRequests requests = new AttemptEndRequests(registry);
    requests.request(id, fail);
    long deadline = System.nanoTime() + killWaitMs * 1_000_000L;
    while (System.nanoTime() - deadline < 0) {
      Optional<Boolean> answer = requests.takeAnswer(id);
      if (answer.isPresent()) {
        return answer.get();
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        requests.withdraw(id);
        throw new InterruptedIOException("interrupted while waiting for task attempt " + id
            + " to be ended");
      }
    }
    boolean withdrawn = requests.withdraw(id);
    LOG.warn("Task attempt {} not {}: the coordinator of job {} (pid {}) {} within {} s", id,
        fail ? "failed" : "killed", job.jobId(), job.coordinator().pid(),
        withdrawn ? "did not take the request" : "took the request but did not answer",
        killWaitMs / 1000.0);
    return requests.takeAnswer(id).orElse(false);
  }

  private IOException notKilled(JobSnapshot job) throws IOException {
    String id = job.jobId();
    String waited = (killWaitMs / 1000.0) + " s";
    if (registry.takeKillRequest(id)) {
      return new IOException("Job " + id + " was not killed: its coordinator (pid "
          + job.coordinator().pid() + ") did not take the kill request within " + waited
          + "; the job is still " + job.state() + " (status " + registry.statusFile(id)
          + ", last published " + (System.currentTimeMillis() - job.heartbeatMs())
          + " ms ago)");
    }
    return new IOException("Job " + id + " is being killed but had not ended within " + waited
        + ": its coordinator (pid " + job.coordinator().pid() + ") took the kill request and"
        + " ends the job KILLED once its running activations return; see "
        + registry.statusFile(id));
  }

  private JobSnapshot get(JobID jobId) throws IOException {
    return find(jobId).orElseThrow(() -> new IOException("unknown job " + jobId
        + ": it was not submitted by this process and is not in the job registry "
        + registry.dir() + " (mapreduce.faas.summary.dir) of this host"));
  }

  private TaskDetails details(JobSnapshot job, String what) throws IOException {
    if (job.tasks() == null) {
      throw unanswerable(job, what + " (it has over " + TaskDetails.MAX_TASKS
          + " tasks, too many to publish)");
    }
    return job.tasks();
  }

  private IOException unanswerable(JobSnapshot job, String what) {
    return new IOException("Job " + job.jobId() + " runs in another process (pid "
        + job.coordinator().pid() + "), which does not publish " + what + "; ask in the"
        + " submitting process, or read the job's summary " + registry.summaryFile(job.jobId())
        + " once the job has ended");
  }

  private static JobSnapshot judged(JobSnapshot snapshot) {
    return snapshot.judged(System.currentTimeMillis(), StatusPublisher.TICK_MS,
        Coordinator::alive);
  }
}
