package io.marvel.faas.registry;

import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobPriority;
import org.apache.hadoop.mapreduce.JobStatus;

/** A {@link JobStatus} snapshot whose times and failure info the coordinator can fill in. */
public final class FaasJobStatus extends JobStatus {
  public FaasJobStatus(JobID jobId, float mapProgress, float reduceProgress, State state,
      String user, String jobName, String jobFile, String trackingUrl) {
    super(jobId, state == State.PREP ? 0f : 1f, mapProgress, reduceProgress,
        state == State.RUNNING || state == State.PREP ? 0f : 1f, state, JobPriority.NORMAL,
        user, jobName, "default", jobFile, trackingUrl, false, "");
  }

  public FaasJobStatus times(long start, long finish) {
    setStartTime(start);
    setFinishTime(finish);
    return this;
  }

  public FaasJobStatus failure(String info) {
    setFailureInfo(info);
    return this;
  }
}
