package io.marvel.faas.client;

import io.marvel.whisk.client.ActivationStatus;

/**
 * Says why an activation of the task action returned no task result, for the attempt's
 * diagnostics. The task action reports every failure of the task's code as a failed task, so an
 * activation OpenWhisk records as "action developer error" because its container process went
 * away was no error of the task's code: the wording says so, where OpenWhisk's status alone
 * reads like a bug in the user's code.
 */
final class ActivationFailure {
  /** OpenWhisk's messages for a container that went away during init or run end so. */
  static final String CONTAINER_GONE = "exited unexpectedly.";

  private ActivationFailure() {
  }

  /**
   * @param activationId the activation
   * @param status its status
   * @param error the error of its result, as the platform gave it
   * @return the attempt's diagnostics
   */
  static String describe(String activationId, ActivationStatus status, String error) {
    if (status == ActivationStatus.DEVELOPER_ERROR && error != null
        && error.contains(CONTAINER_GONE)) {
      return "activation " + activationId + ": its container process died while it ran the"
          + " attempt; this is no error of the task's code, which the task reports as a failed"
          + " task with its stack trace. The process was killed (by a signal, e.g. the kernel's"
          + " OOM killer), crashed, or something in it called System.exit. The platform says: "
          + error + " (OpenWhisk status: " + status.wireName() + ")";
    }
    return "activation " + activationId + " ended with " + status.wireName() + ": " + error;
  }
}
