package io.marvel.faas.coordinator;

import org.apache.hadoop.mapreduce.TaskCompletionEvent;

/**
 * How a task attempt ended, as Hadoop reports attempts: a killed attempt (the user's
 * {@code killTask}, or its job killed) does not count toward the task's maximum attempts, a
 * failed one does.
 */
public enum AttemptState {
  SUCCEEDED(TaskCompletionEvent.Status.SUCCEEDED),
  FAILED(TaskCompletionEvent.Status.FAILED),
  KILLED(TaskCompletionEvent.Status.KILLED);

  private final TaskCompletionEvent.Status eventStatus;

  AttemptState(TaskCompletionEvent.Status eventStatus) {
    this.eventStatus = eventStatus;
  }

  /** @return the status of the attempt's completion event */
  TaskCompletionEvent.Status eventStatus() {
    return eventStatus;
  }
}
