package io.marvel.faas.launcher;

import io.marvel.faas.protocol.TaskResult;

/** How one task activation ended, as the coordinator sees it. */
public sealed interface ActivationOutcome {
  /** @return the platform's activation id (32 hex digits for OpenWhisk) */
  String activationId();

  /**
   * The action ran and returned a task result (which may itself report a failed task).
   *
   * @param activationId the activation id
   * @param result what the task action returned
   */
  record Completed(String activationId, TaskResult result) implements ActivationOutcome {
  }

  /**
   * The activation did not return a task result: it timed out, its container died, the action
   * reported an error, or the platform could not be reached.
   *
   * @param activationId the activation id, or {@code none} when no activation was created
   * @param reason what happened, for the task's diagnostics
   */
  record Failed(String activationId, String reason) implements ActivationOutcome {
  }
}
