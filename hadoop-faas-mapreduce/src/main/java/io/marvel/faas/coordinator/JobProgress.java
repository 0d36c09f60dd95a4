package io.marvel.faas.coordinator;

import io.marvel.faas.protocol.TaskKind;
import io.marvel.faas.registry.FaasJobStatus;
import io.marvel.faas.registry.TaskDetails;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskReport;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapred.TIPStatus;

/**
 * The coordinator's record of one job: its state, the attempts running and every attempt that
 * ended, and the views {@code ClientProtocol} hands out (status, counters, task reports,
 * completion events). Task counters are those of the successful attempts; the job counters
 * ({@link JobCounters}) count every attempt. A task's progress is 1 once it succeeded, else the
 * best progress its running attempts reported (as YARN ignores failed and killed attempts), and
 * the job's map and reduce progress are the averages over their tasks, as YARN's. Thread-safe.
 */
public final class JobProgress {
  private final JobID jobId;
  private final String user;
  private final String jobName;
  private final String jobFile;
  private final int maps;
  private final int reduces;
  private final JobCounters jobCounters;
  private final long startMs = System.currentTimeMillis();
  private final List<AttemptRecord> attempts = new ArrayList<>();
  private final Map<String, LiveAttempt> live = new LinkedHashMap<>();
  private final List<TaskCompletionEvent> events = new ArrayList<>();
  private JobStatus.State state = JobStatus.State.RUNNING;
  private String failureInfo = "";
  private long finishMs;

  /**
   * @param jobCounters counts the job counters of the attempts
   */
  public JobProgress(JobID jobId, String user, String jobName, String jobFile, int maps,
      int reduces, JobCounters jobCounters) {
    this.jobId = jobId;
    this.user = user;
    this.jobName = jobName;
    this.jobFile = jobFile;
    this.maps = maps;
    this.reduces = reduces;
    this.jobCounters = jobCounters;
  }

  /**
   * Records that an attempt's activation was launched.
   *
   * @return the attempt, live until {@link #add} records its end
   */
  public synchronized LiveAttempt launched(TaskKind kind, int index, String attemptId) {
    LiveAttempt attempt = new LiveAttempt(kind, index, attemptId, System.currentTimeMillis());
    live.put(attemptId, attempt);
    return attempt;
  }

  /** @return the attempt if it is live (launched, its end not yet recorded), else null */
  synchronized LiveAttempt live(String attemptId) {
    return live.get(attemptId);
  }

  /** @return the attempts live now */
  synchronized List<LiveAttempt> live() {
    return List.copyOf(live.values());
  }

  /** Records the end of an attempt. */
  public synchronized void add(AttemptRecord attempt) {
    live.remove(attempt.attemptId());
    attempts.add(attempt);
    TaskAttemptID id = TaskAttemptID.forName(attempt.attemptId());
    events.add(new TaskCompletionEvent(events.size(), id, attempt.index(),
        attempt.kind() == TaskKind.MAP, attempt.state().eventStatus(), ""));
  }

  /**
   * @return how many attempts of the task have ended (so the number of its next attempt, as
   *     one attempt of a task runs at a time)
   */
  synchronized int attemptCount(TaskKind kind, int index) {
    int count = 0;
    for (AttemptRecord a : attempts) {
      if (a.kind() == kind && a.index() == index) {
        count++;
      }
    }
    return count;
  }

  /** @return the task's last successful attempt, if it has one that still counts */
  synchronized Optional<AttemptRecord> successful(TaskKind kind, int index) {
    AttemptRecord found = null;
    for (AttemptRecord a : attempts) {
      if (a.kind() == kind && a.index() == index && a.succeeded()) {
        found = a;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * Records that a successful map attempt's output is lost, as YARN fails a map attempt after
   * fetch failures: the attempt counts as failed from now on (its counters no longer count),
   * and an OBSOLETE completion event tells who listens.
   *
   * @param attemptId the successful attempt
   * @param reason why, for its diagnostics
   */
  synchronized void outputLost(String attemptId, String reason) {
    for (int i = 0; i < attempts.size(); i++) {
      AttemptRecord a = attempts.get(i);
      if (a.attemptId().equals(attemptId) && a.succeeded()) {
        attempts.set(i, a.as(AttemptState.FAILED, reason));
        events.add(new TaskCompletionEvent(events.size(), TaskAttemptID.forName(attemptId),
            a.index(), a.kind() == TaskKind.MAP, TaskCompletionEvent.Status.OBSOLETE, ""));
      }
    }
  }

  /** Ends the job, unless it has ended already. */
  synchronized void finish(JobStatus.State finalState, String info, long endMs) {
    if (state == JobStatus.State.RUNNING) {
      state = finalState;
      failureInfo = info;
      finishMs = endMs;
    }
  }

  public synchronized JobStatus.State state() {
    return state;
  }

  synchronized List<AttemptRecord> attempts() {
    return List.copyOf(attempts);
  }

  long startMs() {
    return startMs;
  }

  public synchronized JobStatus status(String trackingUrl) {
    return status(trackingUrl, state, failureInfo, finishMs);
  }

  /**
   * @return the status the job will have once {@link #finish} ended it with these values, for
   *     publishing the end to other processes before this one can see it
   */
  public synchronized JobStatus endStatus(String trackingUrl, JobStatus.State finalState,
      String info, long endMs) {
    return status(trackingUrl, finalState, info, endMs);
  }

  private JobStatus status(String trackingUrl, JobStatus.State jobState, String info,
      long endMs) {
    return new FaasJobStatus(jobId, progress(TaskKind.MAP, maps, jobState),
        progress(TaskKind.REDUCE, reduces, jobState), jobState, user, jobName, jobFile,
        trackingUrl).times(startMs, endMs).failure(info);
  }

  public synchronized Counters counters() {
    Counters counters = new Counters();
    for (AttemptRecord attempt : attempts) {
      if (attempt.succeeded()) {
        for (Map.Entry<String, Map<String, Long>> group : attempt.counters().entrySet()) {
          for (Map.Entry<String, Long> c : group.getValue().entrySet()) {
            counters.findCounter(group.getKey(), c.getKey()).increment(c.getValue());
          }
        }
      }
    }
    jobCounters.addTo(counters, attempts, live.values());
    return counters;
  }

  public synchronized TaskCompletionEvent[] events(int from, int max) {
    if (from >= events.size()) {
      return new TaskCompletionEvent[0];
    }
    int to = Math.min(events.size(), from + max);
    return events.subList(from, to).toArray(new TaskCompletionEvent[0]);
  }

  public synchronized String[] diagnostics(String attemptId) {
    for (AttemptRecord attempt : attempts) {
      if (attempt.attemptId().equals(attemptId) && !attempt.diagnostics().isEmpty()) {
        return new String[] {attempt.diagnostics()};
      }
    }
    return new String[0];
  }

  public synchronized TaskReport[] reports(TaskType type) {
    return reports(type, state);
  }

  /**
   * @param jobState the job's state now, or the state it is about to end in
   * @return the task reports and completion events, for publishing to other processes
   */
  public synchronized TaskDetails details(JobStatus.State jobState) {
    return new TaskDetails(reports(TaskType.MAP, jobState), reports(TaskType.REDUCE, jobState),
        events.toArray(new TaskCompletionEvent[0]));
  }

  private TaskReport[] reports(TaskType type, JobStatus.State jobState) {
    TaskKind kind = type == TaskType.MAP ? TaskKind.MAP : TaskKind.REDUCE;
    int count = type == TaskType.MAP ? maps : type == TaskType.REDUCE ? reduces : 0;
    TaskReport[] reports = new TaskReport[count];
    for (int i = 0; i < count; i++) {
      reports[i] = report(kind, type, i, jobState);
    }
    return reports;
  }

  private TaskReport report(TaskKind kind, TaskType type, int index,
      JobStatus.State jobState) {
    List<String> diagnostics = new ArrayList<>();
    Counters counters = new Counters();
    long start = 0;
    long end = 0;
    TIPStatus status = TIPStatus.PENDING;
    TaskAttemptID successful = null;
    for (AttemptRecord a : attempts) {
      if (a.kind() != kind || a.index() != index) {
        continue;
      }
      start = start == 0 ? a.launchMs() : start;
      end = a.endMs();
      if (a.succeeded()) {
        status = TIPStatus.COMPLETE;
        successful = TaskAttemptID.forName(a.attemptId());
        a.counters().forEach((g, values) -> values.forEach(
            (n, v) -> counters.findCounter(g, n).increment(v)));
      } else {
        diagnostics.add(a.diagnostics());
        status = a.state() == AttemptState.KILLED ? TIPStatus.KILLED : TIPStatus.FAILED;
      }
    }
    List<TaskAttemptID> running = new ArrayList<>();
    for (LiveAttempt a : live.values()) {
      if (a.kind() == kind && a.index() == index) {
        running.add(TaskAttemptID.forName(a.attemptId()));
        start = start == 0 ? a.launchMs() : start;
      }
    }
    // Running now, or its last attempt ended unsuccessfully and it is retried while the job runs.
    if (status != TIPStatus.COMPLETE && (!running.isEmpty()
        || status != TIPStatus.PENDING && jobState == JobStatus.State.RUNNING)) {
      status = TIPStatus.RUNNING;
    }
    TaskID id = new TaskID(jobId, type, index);
    return new FaasTaskReport(org.apache.hadoop.mapred.TaskID.downgrade(id),
        status == TIPStatus.COMPLETE ? 1f : runningProgress(kind, index), status.name(),
        diagnostics.toArray(new String[0]), status, start, end, counters)
        .attempts(running, successful);
  }

  private float progress(TaskKind kind, int total, JobStatus.State jobState) {
    if (total == 0) {
      return jobState == JobStatus.State.SUCCEEDED ? 1f : 0f;
    }
    Set<Integer> done = new HashSet<>();
    for (AttemptRecord a : attempts) {
      if (a.kind() == kind && a.succeeded()) {
        done.add(a.index());
      }
    }
    float sum = done.size();
    for (int index : runningIndexes(kind)) {
      if (!done.contains(index)) {
        sum += runningProgress(kind, index);
      }
    }
    return Math.min(1f, sum / total);
  }

  private Set<Integer> runningIndexes(TaskKind kind) {
    Set<Integer> indexes = new HashSet<>();
    for (LiveAttempt a : live.values()) {
      if (a.kind() == kind) {
        indexes.add(a.index());
      }
    }
    return indexes;
  }

  /** @return the best progress the running attempts of a task reported, 0 if none runs */
  private float runningProgress(TaskKind kind, int index) {
    float best = 0f;
    for (LiveAttempt a : live.values()) {
      if (a.kind() == kind && a.index() == index) {
        best = Math.max(best, a.progress());
      }
    }
    return best;
  }
}
