package io.marvel.faas.registry;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.CounterGroup;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;

/**
 * What a job's coordinator publishes about the job for clients in other processes: its status,
 * its counters, optionally its task details, and who published it when.
 *
 * @param jobId the job id
 * @param jobName the job's name
 * @param user the submitting user
 * @param state the job's state
 * @param mapProgress fraction of maps done, 0 to 1
 * @param reduceProgress fraction of reduces done, 0 to 1
 * @param startMs job start, epoch ms
 * @param finishMs job end, epoch ms; 0 while it runs
 * @param failureInfo why the job failed or was killed, else empty
 * @param trackingUrl where the job's activation timeline is
 * @param jobFile the job's configuration as a local file URI
 * @param coordinator the process that runs the job
 * @param heartbeatMs when the coordinator published this, epoch ms
 * @param counters the job's counters, group name to counter name to value
 * @param tasks task reports and completion events, null if the job has too many tasks
 */
public record JobSnapshot(String jobId, String jobName, String user, JobStatus.State state,
    float mapProgress, float reduceProgress, long startMs, long finishMs, String failureInfo,
    String trackingUrl, String jobFile, Coordinator coordinator, long heartbeatMs,
    Map<String, Map<String, Long>> counters, TaskDetails tasks) {

  /**
   * Ticks a coordinator may miss before a reader checks whether it still runs: a long garbage
   * collection or a busy disk must not make a healthy job look dead.
   */
  static final int MISSED_TICKS = 5;

  /** @return a snapshot of a job as its coordinator sees it now */
  public static JobSnapshot of(JobStatus status, Counters counters, TaskDetails tasks,
      Coordinator coordinator, long nowMs) {
    return new JobSnapshot(status.getJobID().toString(), text(status.getJobName()),
        text(status.getUsername()), status.getState(), status.getMapProgress(),
        status.getReduceProgress(), status.getStartTime(), status.getFinishTime(),
        text(status.getFailureInfo()), text(status.getTrackingUrl()),
        text(status.getJobFile()), coordinator, nowMs, groups(counters), tasks);
  }

  /** @return true once the job succeeded, failed or was killed */
  boolean ended() {
    return state != JobStatus.State.RUNNING && state != JobStatus.State.PREP;
  }

  /** @return the job's status, as {@code ClientProtocol.getJobStatus} returns it */
  public JobStatus status() {
    return new FaasJobStatus(JobID.forName(jobId), mapProgress, reduceProgress, state, user,
        jobName, jobFile, trackingUrl).times(startMs, finishMs).failure(failureInfo);
  }

  /** @return the job's counters as Hadoop counters */
  public Counters hadoopCounters() {
    Counters result = new Counters();
    counters.forEach((group, values) -> values.forEach(
        (name, value) -> result.findCounter(group, name).increment(value)));
    return result;
  }

  /**
   * Judges a snapshot read by another process: a job still running whose coordinator has not
   * published for {@link #MISSED_TICKS} ticks and no longer runs will never end by itself, so
   * it is reported FAILED, naming the process.
   *
   * @param nowMs the reader's clock, epoch ms
   * @param tickMs how often a coordinator publishes, ms
   * @param coordinatorAlive whether the coordinator process still runs; asked only when stale
   * @return this snapshot, or a FAILED copy of it
   */
  JobSnapshot judged(long nowMs, long tickMs, Predicate<Coordinator> coordinatorAlive) {
    if (ended() || nowMs - heartbeatMs <= MISSED_TICKS * tickMs
        || coordinatorAlive.test(coordinator)) {
      return this;
    }
    String info = "Job " + jobId + " lost its coordinator: the submitting process (pid "
        + coordinator.pid() + ") stopped without ending the job; its last status was "
        + "published at " + Instant.ofEpochMilli(heartbeatMs);
    return new JobSnapshot(jobId, jobName, user, JobStatus.State.FAILED, mapProgress,
        reduceProgress, startMs, heartbeatMs, info, trackingUrl, jobFile, coordinator,
        heartbeatMs, counters, tasks);
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }

  private static Map<String, Map<String, Long>> groups(Counters counters) {
    Map<String, Map<String, Long>> groups = new TreeMap<>();
    for (CounterGroup group : counters) {
      Map<String, Long> values = new LinkedHashMap<>();
      for (Counter counter : group) {
        values.put(counter.getName(), counter.getValue());
      }
      groups.put(group.getName(), values);
    }
    return groups;
  }
}
