package io.marvel.faas.client;

import io.marvel.faas.protocol.TaskKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The coordinator's record of one job: its state, every attempt, and the views
 * {@code ClientProtocol} hands out (status, counters, task reports, completion events). Counters
 * are those of the successful attempts. Thread-safe.
 */
final class JobProgress {
  private final JobID jobId;
  private final String user;
  private final String jobName;
  private final String jobFile;
  private final int maps;
  private final int reduces;
  private final long startMs = System.currentTimeMillis();
  private final List<AttemptRecord> attempts = new ArrayList<>();
  private final List<TaskCompletionEvent> events = new ArrayList<>();
  private JobStatus.State state = JobStatus.State.RUNNING;
  private String failureInfo = "";
  private long finishMs;

  JobProgress(JobID jobId, String user, String jobName, String jobFile, int maps, int reduces) {
    this.jobId = jobId;
    this.user = user;
    this.jobName = jobName;
    this.jobFile = jobFile;
    this.maps = maps;
    this.reduces = reduces;
  }

  synchronized void add(AttemptRecord attempt) {
    attempts.add(attempt);
    TaskAttemptID id = TaskAttemptID.forName(attempt.attemptId());
    events.add(new TaskCompletionEvent(events.size(), id, attempt.index(),
        attempt.kind() == TaskKind.MAP, attempt.succeeded()
            ? TaskCompletionEvent.Status.SUCCEEDED : TaskCompletionEvent.Status.FAILED, ""));
  }

  synchronized void finish(JobStatus.State finalState, String info) {
    if (state == JobStatus.State.RUNNING) {
      state = finalState;
      failureInfo = info;
      finishMs = System.currentTimeMillis();
    }
  }

  synchronized JobStatus.State state() {
    return state;
  }

  synchronized List<AttemptRecord> attempts() {
    return List.copyOf(attempts);
  }

  long startMs() {
    return startMs;
  }

  synchronized JobStatus status(String trackingUrl) {
    return new FaasJobStatus(jobId, progress(TaskKind.MAP, maps),
        progress(TaskKind.REDUCE, reduces), state, user, jobName, jobFile, trackingUrl)
        .times(startMs, finishMs).failure(failureInfo);
  }

  synchronized Counters counters() {
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
    return counters;
  }

  synchronized TaskCompletionEvent[] events(int from, int max) {
    if (from >= events.size()) {
      return new TaskCompletionEvent[0];
    }
    int to = Math.min(events.size(), from + max);
    return events.subList(from, to).toArray(new TaskCompletionEvent[0]);
  }

  synchronized String[] diagnostics(String attemptId) {
    for (AttemptRecord attempt : attempts) {
      if (attempt.attemptId().equals(attemptId) && !attempt.diagnostics().isEmpty()) {
        return new String[] {attempt.diagnostics()};
      }
    }
    return new String[0];
  }

  synchronized TaskReport[] reports(TaskType type) {
    TaskKind kind = type == TaskType.MAP ? TaskKind.MAP : TaskKind.REDUCE;
    int count = type == TaskType.MAP ? maps : type == TaskType.REDUCE ? reduces : 0;
    TaskReport[] reports = new TaskReport[count];
    for (int i = 0; i < count; i++) {
      reports[i] = report(kind, type, i);
    }
    return reports;
  }

  private TaskReport report(TaskKind kind, TaskType type, int index) {
    List<String> diagnostics = new ArrayList<>();
    Counters counters = new Counters();
    long start = 0;
    long end = 0;
    TIPStatus status = TIPStatus.PENDING;
    for (AttemptRecord a : attempts) {
      if (a.kind() != kind || a.index() != index) {
        continue;
      }
      start = start == 0 ? a.launchMs() : start;
      end = a.endMs();
      if (a.succeeded()) {
        status = TIPStatus.COMPLETE;
        a.counters().forEach((g, values) -> values.forEach(
            (n, v) -> counters.findCounter(g, n).increment(v)));
      } else {
        diagnostics.add(a.diagnostics());
        status = TIPStatus.FAILED;
      }
    }
    if (status == TIPStatus.FAILED && state == JobStatus.State.RUNNING) {
      status = TIPStatus.RUNNING;
    }
    TaskID id = new TaskID(jobId, type, index);
    return new TaskReport(org.apache.hadoop.mapred.TaskID.downgrade(id),
        status == TIPStatus.COMPLETE ? 1f : 0f,
        status.name(), diagnostics.toArray(new String[0]), status, start, end, counters);
  }

  private float progress(TaskKind kind, int total) {
    if (total == 0) {
      return state == JobStatus.State.SUCCEEDED ? 1f : 0f;
    }
    long done = attempts.stream().filter(a -> a.kind() == kind && a.succeeded()).count();
    return done / (float) total;
  }
}
