package io.marvel.faas.registry;

import io.marvel.faas.coordinator.AttemptRecord;
import io.marvel.faas.coordinator.AttemptState;
import io.marvel.faas.coordinator.JobCounters;
import io.marvel.faas.coordinator.JobProgress;
import io.marvel.faas.protocol.TaskKind;
import java.util.Map;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;

/**
 * A job as its coordinator publishes it, for the tests of the job registry: built with the
 * coordinator's own {@link JobProgress}, so that they read back what a coordinator writes.
 */
public final class PublishedJobs {
  public static final JobID JOB = new JobID("faas42", 7);
  public static final String TASK_GROUP = "org.apache.hadoop.mapreduce.TaskCounter";

  private PublishedJobs() {
  }

  /** @return a job with one map done (with counters), one map running and one reduce pending */
  public static JobProgress progress() {
    JobProgress progress = new JobProgress(JOB, "alice", "word count", "file:/tmp/conf.xml",
        2, 1, new JobCounters(512, 1));
    String done = "attempt_faas42_0007_m_000000_0";
    progress.launched(TaskKind.MAP, 0, done);
    progress.add(new AttemptRecord(TaskKind.MAP, 0, done, "act0", "c0", "h0", false, true, 10, 11,
        20, 9, AttemptState.SUCCEEDED, "", Map.of(TASK_GROUP, Map.of("MAP_INPUT_RECORDS", 4L)),
        ""));
    progress.launched(TaskKind.MAP, 1, "attempt_faas42_0007_m_000001_0");
    return progress;
  }

  /**
   * @param state the job's state
   * @param heartbeatMs the snapshot's heartbeat, epoch ms (the end time of an ended job)
   * @param coordinator the process that publishes it
   * @return {@link #progress()} published in that state, with its task details
   */
  public static JobSnapshot snapshot(JobStatus.State state, long heartbeatMs,
      Coordinator coordinator) {
    JobProgress progress = progress();
    String url = "file:/tmp/timeline.html";
    JobStatus status = state == JobStatus.State.RUNNING ? progress.status(url)
        : progress.endStatus(url, state, "", heartbeatMs);
    return JobSnapshot.of(status, progress.counters(), progress.details(state), coordinator,
        heartbeatMs);
  }

  /**
   * @param heartbeatMs the snapshot's heartbeat, epoch ms
   * @return {@link #progress()} running, published by this process without task details (as a
   *     job of too many tasks is)
   */
  public static JobSnapshot withoutTaskDetails(long heartbeatMs) {
    JobProgress progress = progress();
    return JobSnapshot.of(progress.status(""), progress.counters(), null, Coordinator.current(),
        heartbeatMs);
  }
}
