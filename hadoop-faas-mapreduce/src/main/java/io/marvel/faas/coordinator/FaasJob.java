package io.marvel.faas.coordinator;

import io.marvel.faas.launcher.TaskLauncher;
import io.marvel.faas.launcher.WarmUpResult;
import io.marvel.faas.protocol.CommitGates;
import io.marvel.faas.protocol.ProgressFiles;
import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.TaskKind;
import io.marvel.faas.registry.Coordinator;
import io.marvel.faas.registry.JobRegistry;
import io.marvel.faas.registry.JobSnapshot;
import io.marvel.faas.registry.StatusPublisher;
import io.marvel.faas.registry.SummaryRetention;
import io.marvel.faas.registry.TaskDetails;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.faas.state.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.JobContextImpl;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.OutputCommitter;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.split.JobSplit.TaskSplitMetaInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator of one job, on its own thread: sets the job up with its OutputCommitter, runs
 * the map stage and then the reduce stage as activations, commits or aborts, and then removes
 * the job's state whatever the outcome, writes the summary, and only then publishes the final
 * state (so a client that sees the job finished also sees its state gone): first to the
 * {@link JobRegistry}, for other processes, then to this one. While it runs, a
 * {@link StatusPublisher} publishes its status every second and kills it when another process
 * asks to; each of its ticks first reads the progress running tasks reported
 * ({@link ProgressPoller}).
 */
public final class FaasJob {
  private static final Logger LOG = LoggerFactory.getLogger(FaasJob.class);

  private final JobID jobId;
  private final JobConf conf;
  private final org.apache.hadoop.fs.Path submitDir;
  private final TaskSplitMetaInfo[] splits;
  private final StateStore store;
  private final TaskLauncher launcher;
  private final FaasSettings settings;
  private final JobProgress progress;
  private final CommitGates gates;
  private final AtomicBoolean killed = new AtomicBoolean();
  private volatile String killReason;
  private final StatusPublisher publisher;
  private final ProgressPoller poller;
  private Thread thread;

  public FaasJob(JobID jobId, JobConf conf, org.apache.hadoop.fs.Path submitDir,
      TaskSplitMetaInfo[] splits, StateStore store, TaskLauncher launcher,
      FaasSettings settings, JobProgress progress, CommitGates gates,
      ProgressFiles progressFiles) {
    this.jobId = jobId;
    this.conf = conf;
    this.submitDir = submitDir;
    this.splits = splits;
    this.store = store;
    this.launcher = launcher;
    this.settings = settings;
    this.progress = progress;
    this.gates = gates;
    this.poller = new ProgressPoller(progressFiles, progress);
    this.publisher = new StatusPublisher(JobRegistry.of(settings), jobId.toString(),
        this::tickSnapshot, this::kill,
        (attempt, fail) -> abandon(TaskAttemptID.forName(attempt), fail));
  }

  public JobProgress progress() {
    return progress;
  }

  public String id() {
    return jobId.toString();
  }

  /** Publishes the job to the registry of this host, then starts the coordinator thread. */
  public void start() {
    publisher.start();
    startThread();
  }

  private synchronized void startThread() {
    thread = new Thread(this::run, "faas-job-" + jobId);
    // Not a daemon, as Hadoop's local runner's job thread: a driver that submits and returns
    // without waiting gets its job run to the end (state removed, summary written), after
    // which nothing of the framework or the embedded platform keeps the JVM alive.
    thread.setDaemon(false);
    thread.setContextClassLoader(conf.getClassLoader());
    thread.start();
  }

  /** Kills the job at the user's request ({@code killJob}, {@code mapred job -kill}). */
  public void kill() {
    kill("Job " + jobId + " was killed");
  }

  /**
   * Stops scheduling activations and abandons the running ones; the job ends KILLED with the
   * reason as its failure info.
   *
   * @param reason why, for the job's status
   * @return true if this call killed the job, false if it was killed already or has ended
   */
  public synchronized boolean kill(String reason) {
    if (thread == null || !thread.isAlive() || progress.state() != JobStatus.State.RUNNING
        || !killed.compareAndSet(false, true)) {
      return false;
    }
    killReason = reason;
    LOG.info("Killing job {}: {}", jobId, reason);
    thread.interrupt();
    return true;
  }

  /**
   * @param timeoutMs how long to wait, ms
   * @return true once the job has ended (its end published), false if it still runs
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitEnd(long timeoutMs) throws InterruptedException {
    Thread coordinator;
    synchronized (this) {
      coordinator = thread;
    }
    if (coordinator == null) {
      return true;
    }
    coordinator.join(timeoutMs);
    return !coordinator.isAlive();
  }

  /**
   * Abandons a running attempt, YARN's {@code killTask} on our side: OpenWhisk cannot cancel an
   * activation, so the attempt's commit gate is closed (it can never commit), its result is
   * ignored whenever it comes, and the task gets a new attempt right away.
   *
   * @param id the attempt
   * @param fail true to count it as a failed attempt, false to count it as killed
   * @return false, logging why, if the attempt is not running (unknown, ended, already killed)
   *     or already committing its output
   */
  public boolean abandon(TaskAttemptID id, boolean fail) {
    String verb = fail ? "fail" : "kill";
    LiveAttempt live = progress.live(id.toString());
    if (live == null || killed.get()) {
      LOG.warn("Cannot {} task attempt {}: it is not running (unknown, ended or already"
          + " killed){}", verb, id, killed.get() ? ", and job " + jobId + " is being killed" : "");
      return false;
    }
    try {
      if (!gates.claim(id.toString())) {
        LOG.warn("Cannot {} task attempt {}: it has committed or is committing its output",
            verb, id);
        return false;
      }
    } catch (IOException e) {
      LOG.warn("Cannot {} task attempt {}: its commit gate in {} cannot be closed", verb, id,
          gates.dir(), e);
      return false;
    }
    String reason = id + (fail ? " was failed by the user (Job.failTask, mapred job -fail-task)"
        : " was killed by the user (Job.killTask, mapred job -kill-task)");
    if (!live.abandon(fail ? AttemptState.FAILED : AttemptState.KILLED, reason)) {
      LOG.warn("Cannot {} task attempt {}: its activation returned meanwhile", verb, id);
      return false;
    }
    LOG.info("{}; its activation's result will be ignored", reason);
    return true;
  }

  private void run() {
    JobContextImpl context = new JobContextImpl(conf, jobId);
    OutputCommitter committer = null;
    JobStatus.State state;
    String failure = "";
    ExecutorService activations = Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "faas-activation-" + jobId);
      thread.setDaemon(true);
      return thread;
    });
    try {
      committer = JobCommitter.of(conf, jobId);
      committer.setupJob(context);
      int mapAttempts = conf.getInt(MRJobConfig.MAP_MAX_ATTEMPTS, 4);
      LostMapOutputs lostOutputs = new LostMapOutputs(progress, splits.length, mapAttempts,
          this::mapArguments);
      StageRunner stages = new StageRunner(launcher, settings.maxConcurrency(), progress,
          activations, new TaskLogs(JobRegistry.of(settings), jobId.toString(), launcher),
          lostOutputs);
      lostOutputs.runWith(stages);
      failure = stages.run(TaskKind.MAP, splits.length, mapAttempts, this::mapArguments);
      if (failure.isEmpty() && conf.getNumReduceTasks() > 0 && splits.length > 0) {
        warnOfPlacement();
      }
      if (failure.isEmpty() && conf.getNumReduceTasks() > 0) {
        failure = stages.run(TaskKind.REDUCE, conf.getNumReduceTasks(),
            conf.getInt(MRJobConfig.REDUCE_MAX_ATTEMPTS, 4), this::reduceArguments);
      }
      if (killed.get()) {
        throw new InterruptedException();
      }
      if (failure.isEmpty()) {
        committer.commitJob(context);
        state = JobStatus.State.SUCCEEDED;
      } else {
        state = JobStatus.State.FAILED;
        committer.abortJob(context, JobStatus.State.FAILED);
      }
    } catch (InterruptedException e) {
      state = JobStatus.State.KILLED;
      failure = killReason();
      abandonAll();
      abort(committer, context, state);
    } catch (Exception | LinkageError e) {
      if (killed.get()) {
        // The kill's interrupt broke a file system call (setupJob, a commit).
        LOG.info("Job {} was killed during {}", jobId, e.toString());
        state = JobStatus.State.KILLED;
        failure = killReason();
        abandonAll();
      } else {
        state = JobStatus.State.FAILED;
        failure = "Job " + jobId + " failed in the coordinator: " + e;
        LOG.error("Job {} failed in the coordinator", jobId, e);
      }
      abort(committer, context, state);
    } finally {
      // Activations still launched were abandoned; stop waiting for them.
      activations.shutdownNow();
    }
    cleanUp();
    writeSummary(state);
    long endMs = System.currentTimeMillis();
    // Other processes learn of the end first: once this one does, `hadoop jar` may exit.
    publisher.close(snapshot(progress.endStatus(trackingUrl(), state, failure, endMs)));
    progress.finish(state, failure, endMs);
    LOG.info("Job {} {}", jobId, state);
    removeOldSummaries();
  }

  /** Where map outputs went is the user's to know; it never fails the job. */
  private void warnOfPlacement() {
    try {
      store.placementWarning(0).ifPresent(warning -> LOG.warn("Job {}: {}", jobId, warning));
    } catch (IOException e) {
      LOG.debug("Could not look up where the map outputs of job {} are", jobId, e);
    }
  }

  private String killReason() {
    String reason = killReason;
    return reason == null ? "Job " + jobId + " was killed" : reason;
  }

  /**
   * Makes sure no running attempt commits once the job is killed: the commit gates are closed
   * for every attempt that has not claimed its own yet, and running activations are let end
   * before the committer removes their output.
   */
  private void abandonAll() {
    try {
      gates.closeAll();
    } catch (IOException e) {
      LOG.warn("Could not close the commit gates {} of killed job {}; a running attempt may"
          + " still commit", gates.dir(), jobId, e);
    }
    launcher.jobEnded(jobId.toString());
  }

  /** After the job's end is known, so that it never waits for this. */
  private void removeOldSummaries() {
    try {
      new SummaryRetention(JobRegistry.of(settings), settings.summaryMaxAgeMs())
          .removeOld(System.currentTimeMillis(), jobId.toString());
    } catch (IOException e) {
      LOG.warn("Could not remove old job summaries from {}", settings.summaryDir(), e);
    }
  }

  private String trackingUrl() {
    return JobSummary.trackingUrl(settings, jobId);
  }

  /** @return the job's snapshot now, with the progress its running tasks last reported */
  private JobSnapshot tickSnapshot() {
    poller.poll();
    return snapshot(progress.status(trackingUrl()));
  }

  /** @return what the registry shows other processes of the job in the given status */
  private JobSnapshot snapshot(JobStatus status) {
    int tasks = splits.length + conf.getNumReduceTasks();
    TaskDetails details = tasks > TaskDetails.MAX_TASKS ? null
        : progress.details(status.getState());
    return JobSnapshot.of(status, progress.counters(), details, Coordinator.current(),
        System.currentTimeMillis());
  }

  private void abort(OutputCommitter committer, JobContextImpl context, JobStatus.State state) {
    if (committer == null) {
      return;
    }
    try {
      committer.abortJob(context, state);
    } catch (IOException e) {
      LOG.warn("Aborting the output of job {} failed", jobId, e);
    }
  }

  private void cleanUp() {
    // Activations still running are waited for first, so none writes after the state is gone.
    launcher.jobEnded(jobId.toString());
    launcher.close();
    try {
      store.removeJob();
    } catch (IOException e) {
      LOG.warn("Could not remove the state of job {} from {}", jobId, store.location(), e);
    }
    try {
      FileSystem fs = submitDir.getFileSystem(conf);
      fs.delete(submitDir, true);
    } catch (IOException e) {
      LOG.warn("Could not remove the staging dir {} of job {}", submitDir, jobId, e);
    }
  }

  private void writeSummary(JobStatus.State state) {
    List<WarmUpResult> warmUps = launcher.warmUps();
    if (!warmUps.isEmpty()) {
      LOG.info("Job {}: {} warm-up activation(s) ran ahead of its tasks, {} ms of containers in"
          + " all; no task attempts, not in the job's counters, listed as warmUps in its"
          + " summary", jobId, warmUps.size(),
          warmUps.stream().mapToLong(WarmUpResult::durationMs).sum());
    }
    try {
      Path timeline = JobSummary.write(Path.of(settings.summaryDir()),
          JobSummary.json(jobId.toString(), state.name(), progress.startMs(),
              System.currentTimeMillis(), progress.attempts(), warmUps),
          progress.attempts());
      LOG.info("Job {} summary and activation timeline: {}", jobId, timeline);
    } catch (IOException e) {
      LOG.warn("Could not write the summary of job {} to {}", jobId, settings.summaryDir(), e);
    }
  }

  private TaskArguments mapArguments(int index, int attempt) {
    TaskSplitMetaInfo split = splits[index];
    return arguments(TaskKind.MAP, TaskType.MAP, index, attempt,
        split.getSplitIndex().getSplitLocation(), split.getSplitIndex().getStartOffset());
  }

  private TaskArguments reduceArguments(int index, int attempt) {
    return arguments(TaskKind.REDUCE, TaskType.REDUCE, index, attempt, null, 0);
  }

  private TaskArguments arguments(TaskKind kind, TaskType type, int index, int attempt,
      String splitLocation, long splitOffset) {
    TaskAttemptID id = new TaskAttemptID(new TaskID(jobId, type, index), attempt);
    StoreLocation location = store.location();
    return new TaskArguments(jobId.toString(), id.toString(), kind, index, conf.getUser(),
        submitDir.toString(), splitLocation, splitOffset, splits.length,
        conf.getNumReduceTasks(), location);
  }
}
