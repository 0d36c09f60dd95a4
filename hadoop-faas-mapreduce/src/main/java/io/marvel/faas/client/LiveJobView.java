package io.marvel.faas.client;

import io.marvel.faas.coordinator.FaasJob;
import io.marvel.faas.coordinator.JobProgress;
import java.util.function.Supplier;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;
import org.apache.hadoop.mapreduce.TaskReport;
import org.apache.hadoop.mapreduce.TaskType;

/**
 * A job whose coordinator runs in this JVM, answered from its live {@link JobProgress}.
 *
 * @param job the job's coordinator
 * @param trackingUrl gives the job's tracking URL, for its status
 */
record LiveJobView(FaasJob job, Supplier<String> trackingUrl) implements JobView {
  @Override
  public JobStatus status() {
    return job.progress().status(trackingUrl.get());
  }

  @Override
  public Counters counters() {
    return job.progress().counters();
  }

  @Override
  public TaskReport[] reports(TaskType type) {
    return job.progress().reports(type);
  }

  @Override
  public TaskCompletionEvent[] events(int from, int max) {
    return job.progress().events(from, max);
  }

  @Override
  public String[] diagnostics(String attemptId) {
    return job.progress().diagnostics(attemptId);
  }

  @Override
  public void kill() {
    job.kill();
  }

  @Override
  public boolean endAttempt(TaskAttemptID attempt, boolean fail) {
    return job.abandon(attempt, fail);
  }
}
