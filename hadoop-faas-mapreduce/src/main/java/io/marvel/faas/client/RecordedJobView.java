package io.marvel.faas.client;

import io.marvel.faas.registry.JobSnapshot;
import io.marvel.faas.registry.RemoteJobs;
import java.io.IOException;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;
import org.apache.hadoop.mapreduce.TaskReport;
import org.apache.hadoop.mapreduce.TaskType;

/**
 * A job of another process of this host, answered from the job registry through
 * {@link RemoteJobs}; what the registry does not hold is refused, never made up.
 *
 * @param remote the registry's jobs
 * @param jobId the job
 */
record RecordedJobView(RemoteJobs remote, JobID jobId) implements JobView {
  @Override
  public JobStatus status() throws IOException {
    return remote.find(jobId).map(JobSnapshot::status).orElse(null);
  }

  @Override
  public Counters counters() throws IOException {
    return remote.counters(jobId);
  }

  @Override
  public TaskReport[] reports(TaskType type) throws IOException {
    return remote.reports(jobId, type);
  }

  @Override
  public TaskCompletionEvent[] events(int from, int max) throws IOException {
    return remote.events(jobId, from, max);
  }

  @Override
  public String[] diagnostics(String attemptId) throws IOException {
    return remote.diagnostics(jobId, attemptId);
  }

  @Override
  public void kill() throws IOException {
    remote.kill(jobId);
  }

  @Override
  public boolean endAttempt(TaskAttemptID attempt, boolean fail) throws IOException {
    return remote.endAttempt(attempt, fail);
  }
}
