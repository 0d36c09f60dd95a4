package io.marvel.faas.client;

import java.io.IOException;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;
import org.apache.hadoop.mapreduce.TaskReport;
import org.apache.hadoop.mapreduce.TaskType;

/**
 * One job as {@link FaasJobRunner} answers for it: {@link LiveJobView} when its coordinator
 * runs in this JVM, {@link RecordedJobView} when another process of this host runs it (or ran
 * it) and only the job registry knows it.
 */
interface JobView {
  /**
   * @return the job's status, or null if the job is unknown
   * @throws IOException if the registry cannot be read
   */
  JobStatus status() throws IOException;

  /**
   * @return the job's counters
   * @throws IOException if the job is unknown or the registry cannot be read
   */
  Counters counters() throws IOException;

  /**
   * @param type maps or reduces
   * @return the reports of the job's tasks of that type
   * @throws IOException if the job is unknown or the registry does not hold them
   */
  TaskReport[] reports(TaskType type) throws IOException;

  /**
   * @param from the first event's index
   * @param max the most events to return
   * @return the job's task completion events from {@code from}
   * @throws IOException if the job is unknown or the registry does not hold them
   */
  TaskCompletionEvent[] events(int from, int max) throws IOException;

  /**
   * @param attemptId a task attempt of the job
   * @return the attempt's diagnostics
   * @throws IOException if the job is unknown or the registry does not hold them
   */
  String[] diagnostics(String attemptId) throws IOException;

  /**
   * Kills the job, waiting for its end if another process's coordinator ends it.
   *
   * @throws IOException if the job is unknown or did not end in time
   */
  void kill() throws IOException;

  /**
   * Kills or fails a running attempt of the job.
   *
   * @param attempt the attempt
   * @param fail true to fail it (counts toward the task's attempts), false to kill it
   * @return false if the attempt is not running
   * @throws IOException if the job is unknown or cannot be asked
   */
  boolean endAttempt(TaskAttemptID attempt, boolean fail) throws IOException;
}
