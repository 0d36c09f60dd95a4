package io.marvel.faas.registry;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of the {@link JobRegistry} for one job: every tick it acts on a kill
 * request from another process and publishes the job's snapshot; {@link #close} publishes the
 * final one. Thread-safe; a tick never overwrites the final snapshot. Publishing failures are
 * logged, never thrown: a broken registry must not fail the job.
 */
public final class StatusPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);
  /** How often a running job's status is published and its kill request looked for. */
  static final long TICK_MS = 1_000;

  private final JobRegistry registry;
  private final String jobId;
  private final Supplier<JobSnapshot> snapshots;
  private final Runnable kill;
  private final AttemptEnder attemptEnder;
  private final AttemptEndRequests attemptRequests;
  private ScheduledExecutorService ticker;
  private boolean closed;
  private boolean warned;

  /**
   * @param registry where to publish
   * @param jobId the job
   * @param snapshots the job's snapshot now
   * @param kill kills the job as an in-process {@code killJob} does
   * @param attemptEnder kills or fails one attempt as an in-process {@code killTask} does
   */
  public StatusPublisher(JobRegistry registry, String jobId, Supplier<JobSnapshot> snapshots,
      Runnable kill, AttemptEnder attemptEnder) {
    this.registry = registry;
    this.jobId = jobId;
    this.snapshots = snapshots;
    this.kill = kill;
    this.attemptEnder = attemptEnder;
    this.attemptRequests = new AttemptEndRequests(registry);
  }

  /** Ends one task attempt as an in-process {@code killTask} does. */
  @FunctionalInterface
  public interface AttemptEnder {
    /** @return true if the attempt was running and is now abandoned */
    boolean end(String attemptId, boolean fail);
  }

  /** Publishes the first snapshot now, then ticks every {@link #TICK_MS} on a daemon thread. */
  public synchronized void start() {
    publish(snapshots.get());
    ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "faas-status-" + jobId);
      thread.setDaemon(true);
      return thread;
    });
    ticker.scheduleWithFixedDelay(this::tickLogged, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }

  /** A scheduled task that throws is never run again, so nothing may leave a tick. */
  private void tickLogged() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.error("Publishing the status of job {} failed; the next tick tries again", jobId, e);
    }
  }

  /** Acts on a waiting kill request, then publishes the job's snapshot. */
  void tick() {
    boolean killRequested;
    synchronized (this) {
      if (closed) {
        return;
      }
      killRequested = takeKillRequest();
    }
    if (killRequested) {
      LOG.info("Job {} is killed at the request of another process", jobId);
      // Outside this lock: the job's own lock is taken to kill it.
      kill.run();
    }
    for (AttemptEndRequests.Request request : takeAttemptRequests()) {
      LOG.info("Task attempt {} is {} at the request of another process", request.attemptId(),
          request.fail() ? "failed" : "killed");
      answer(request.attemptId(), attemptEnder.end(request.attemptId(), request.fail()));
    }
    synchronized (this) {
      if (!closed) {
        publish(snapshots.get());
      }
    }
  }

  private boolean takeKillRequest() {
    try {
      return registry.takeKillRequest(jobId);
    } catch (IOException e) {
      warnOnce("take the kill request " + registry.killFile(jobId) + " of", e);
      return false;
    }
  }

  /**
   * Stops ticking and publishes the job's final snapshot; a kill request that came too late is
   * removed, as there is nothing left to kill.
   *
   * @param last the final snapshot
   */
  public synchronized void close(JobSnapshot last) {
    if (closed) {
      return;
    }
    closed = true;
    if (ticker != null) {
      ticker.shutdown();
    }
    publish(last);
    takeKillRequest();
    for (AttemptEndRequests.Request request : takeAttemptRequests()) {
      answer(request.attemptId(), false); // the job has ended: nothing left to end
    }
  }

  private List<AttemptEndRequests.Request> takeAttemptRequests() {
    try {
      return attemptRequests.take(jobId);
    } catch (IOException e) {
      warnOnce("take the kill-task requests in " + registry.dir() + " of", e);
      return List.of();
    }
  }

  private void answer(String attemptId, boolean ended) {
    try {
      attemptRequests.answer(attemptId, ended);
    } catch (IOException e) {
      warnOnce("answer the kill-task request of " + attemptId + " of", e);
    }
  }

  private void publish(JobSnapshot snapshot) {
    try {
      registry.publish(snapshot);
    } catch (IOException e) {
      warnOnce("publish the status to " + registry.statusFile(jobId) + " of", e);
    }
  }

  /** A broken registry must not fail the job, and must not flood the log once a second. */
  private void warnOnce(String what, IOException e) {
    if (!warned) {
      warned = true;
      LOG.warn("Could not {} job {}; other processes may not see or kill the job (further"
          + " failures are logged at DEBUG)", what, jobId, e);
    } else {
      LOG.debug("Could not {} job {}", what, jobId, e);
    }
  }
}
