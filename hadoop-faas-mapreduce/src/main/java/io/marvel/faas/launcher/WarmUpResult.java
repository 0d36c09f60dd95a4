package io.marvel.faas.launcher;

/**
 * How one warm-up activation ended ({@link TaskLauncher#warmUp()}). Warm-ups are no task
 * attempts: they are listed apart in the job summary and never counted in the job's counters.
 *
 * @param activationId the activation id, or {@code none} when none was created
 * @param container the container the warm-up ran in, empty if unknown
 * @param durationMs the activation's duration as the platform records (and bills) it
 * @param succeeded whether the container answered the warm-up
 * @param detail what it loaded, or why it failed
 */
public record WarmUpResult(String activationId, String container, long durationMs,
    boolean succeeded, String detail) {
  /**
   * @param activationId the activation id, or {@code none}
   * @param durationMs the activation's duration, 0 without one
   * @param reason why the warm-up failed
   * @return a failed warm-up
   */
  public static WarmUpResult failed(String activationId, long durationMs, String reason) {
    return new WarmUpResult(activationId, "", durationMs, false, reason);
  }
}
