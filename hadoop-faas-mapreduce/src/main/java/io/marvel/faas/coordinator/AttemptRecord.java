package io.marvel.faas.coordinator;

import io.marvel.faas.launcher.ActivationOutcome;
import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.protocol.TaskKind;
import io.marvel.faas.protocol.TaskResult;
import java.nio.file.Path;
import java.util.Map;

/**
 * One finished task attempt as the coordinator saw it: which activation and container ran it,
 * when, with what outcome. Used for the job's counters, task reports and summary.
 *
 * @param kind map or reduce
 * @param index task index
 * @param attemptId the attempt id
 * @param activationId the activation id, {@code none} if none was created
 * @param container the container that ran it, empty if unknown
 * @param host the host it ran on, empty if unknown
 * @param warm true when the container had the job cached
 * @param coldContainer true when the attempt was its container's first activation
 * @param launchMs when the coordinator launched the activation, epoch ms
 * @param startMs when the task started in its container, epoch ms (launch time if unknown)
 * @param endMs when the activation ended, epoch ms
 * @param runMs how long the attempt ran, ms: the task's own run time in its container when the
 *     action returned a result, else the time from launch to end as the coordinator saw it
 * @param state how the attempt ended
 * @param diagnostics why it failed or was killed, empty on success
 * @param counters the attempt's counters (empty if the action returned none)
 * @param logFile the file that keeps its activation's logs, empty if none was kept
 */
public record AttemptRecord(TaskKind kind, int index, String attemptId, String activationId,
    String container, String host, boolean warm, boolean coldContainer, long launchMs, long startMs,
    long endMs, long runMs, AttemptState state, String diagnostics,
    Map<String, Map<String, Long>> counters, String logFile) {

  private static final String FS_GROUP = "org.apache.hadoop.mapreduce.FileSystemCounter";
  private static final String TASK_GROUP = "org.apache.hadoop.mapreduce.TaskCounter";

  static AttemptRecord of(TaskKind kind, int index, String attemptId, long launchMs,
      ActivationOutcome outcome) {
    long end = System.currentTimeMillis();
    if (outcome instanceof ActivationOutcome.Completed done) {
      TaskResult r = done.result();
      String diagnostics = r.succeeded() ? "" : "activation " + done.activationId()
          + " in container " + r.container() + ": " + r.diagnostics();
      return new AttemptRecord(kind, index, attemptId, done.activationId(), r.container(),
          r.host(), r.warm(), r.coldContainer(), launchMs, r.startMs(), end,
          Math.max(0, r.endMs() - r.startMs()),
          r.succeeded() ? AttemptState.SUCCEEDED : AttemptState.FAILED, diagnostics,
          r.counters(), "");
    }
    ActivationOutcome.Failed failed = (ActivationOutcome.Failed) outcome;
    return new AttemptRecord(kind, index, attemptId, failed.activationId(), "", "", false,
        false, launchMs, launchMs, end, end - launchMs, AttemptState.FAILED, failed.reason(),
        Map.of(), "");
  }

  /**
   * An attempt abandoned before its activation returned: killed or failed by the user, or
   * killed with its job. Its activation, if still running, is no longer waited for.
   *
   * @param state {@link AttemptState#KILLED} or {@link AttemptState#FAILED}
   * @param reason who ended it and how, for the task's diagnostics
   */
  static AttemptRecord abandoned(TaskKind kind, int index, String attemptId, long launchMs,
      AttemptState state, String reason) {
    long end = System.currentTimeMillis();
    return new AttemptRecord(kind, index, attemptId, "none", "", "", false, false, launchMs,
        launchMs, end, end - launchMs, state, reason, Map.of(), "");
  }

  /**
   * @param file the file that keeps the attempt's activation logs
   * @return this attempt with its log file, which the diagnostics of a failed attempt name
   */
  AttemptRecord withLog(Path file) {
    String named = succeeded() ? diagnostics : diagnostics + "\nTask log: " + file;
    return new AttemptRecord(kind, index, attemptId, activationId, container, host, warm,
        coldContainer, launchMs, startMs, endMs, runMs, state, named, counters, file.toString());
  }

  /**
   * @param newState how the attempt counts from now on
   * @param why its diagnostics
   * @return this attempt, counted as ended in that state (a successful map whose output is
   *     lost counts as failed; a reduce that could not read it as killed)
   */
  AttemptRecord as(AttemptState newState, String why) {
    return new AttemptRecord(kind, index, attemptId, activationId, container, host, warm,
        coldContainer, launchMs, startMs, endMs, runMs, newState, why, counters, logFile);
  }

  /** @return true if the attempt succeeded */
  boolean succeeded() {
    return state == AttemptState.SUCCEEDED;
  }

  /** @return bytes the attempt read: file system reads plus shuffle bytes */
  long bytesIn() {
    return sumSuffix(FS_GROUP, "_BYTES_READ") + counter(TASK_GROUP, "REDUCE_SHUFFLE_BYTES");
  }

  /** @return bytes the attempt wrote: file system writes plus map output stored */
  long bytesOut() {
    return sumSuffix(FS_GROUP, "_BYTES_WRITTEN")
        + counter(FaasCounter.class.getName(), FaasCounter.STORE_MAP_OUTPUT_BYTES.name());
  }

  /** @return the attempt's value of a faas counter, 0 when absent */
  long faasCounter(FaasCounter counter) {
    return counter(FaasCounter.class.getName(), counter.name());
  }

  private long counter(String group, String name) {
    return counters.getOrDefault(group, Map.of()).getOrDefault(name, 0L);
  }

  private long sumSuffix(String group, String suffix) {
    long sum = 0;
    for (Map.Entry<String, Long> e : counters.getOrDefault(group, Map.of()).entrySet()) {
      if (e.getKey().endsWith(suffix)) {
        sum += e.getValue();
      }
    }
    return sum;
  }
}
