package io.marvel.faas.coordinator;

import java.util.Collection;
import java.util.List;
import org.apache.hadoop.mapred.TIPStatus;
import org.apache.hadoop.mapred.TaskID;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskReport;

/**
 * A {@link TaskReport} that also names the task's running and successful attempts, which
 * {@code mapred job -list-attempt-ids} prints and {@code -kill-task} takes.
 */
final class FaasTaskReport extends TaskReport {
  FaasTaskReport(TaskID taskId, float progress, String state, String[] diagnostics,
      TIPStatus status, long startMs, long finishMs, Counters counters) {
    super(taskId, progress, state, diagnostics, status, startMs, finishMs, counters);
  }

  /**
   * @param running the attempts running now
   * @param successful the attempt that completed the task, null if none
   * @return this report
   */
  FaasTaskReport attempts(Collection<TaskAttemptID> running, TaskAttemptID successful) {
    setRunningTaskAttemptIds(List.copyOf(running));
    setSuccessfulAttemptId(successful);
    return this;
  }
}
