package io.marvel.faas.coordinator;

import io.marvel.faas.launcher.ActivationOutcome;
import io.marvel.faas.protocol.TaskKind;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A task attempt whose activation was launched and whose end the coordinator has not recorded
 * yet. It ends exactly once: when its activation returns, or when the user abandons it
 * ({@code killTask}), whichever comes first; what comes second is ignored. Thread-safe.
 */
final class LiveAttempt {
  private final TaskKind kind;
  private final int index;
  private final String attemptId;
  private final long launchMs;
  private final CompletableFuture<End> end = new CompletableFuture<>();
  private volatile float progress;

  /** How a live attempt ended. */
  sealed interface End {
  }

  /**
   * Its activation returned first.
   *
   * @param outcome what the activation returned
   */
  record Returned(ActivationOutcome outcome) implements End {
  }

  /**
   * The user abandoned it first; its activation's result, whenever it comes, is ignored.
   *
   * @param state {@link AttemptState#KILLED} (does not count toward the task's attempts) or
   *     {@link AttemptState#FAILED} (counts)
   * @param reason who abandoned it and how, for the task's diagnostics
   */
  record Abandoned(AttemptState state, String reason) implements End {
  }

  /**
   * @param kind map or reduce
   * @param index task index
   * @param attemptId the attempt id
   * @param launchMs when its activation was launched, epoch ms
   */
  LiveAttempt(TaskKind kind, int index, String attemptId, long launchMs) {
    this.kind = kind;
    this.index = index;
    this.attemptId = attemptId;
    this.launchMs = launchMs;
  }

  TaskKind kind() {
    return kind;
  }

  int index() {
    return index;
  }

  String attemptId() {
    return attemptId;
  }

  long launchMs() {
    return launchMs;
  }

  /** @return the progress the task last reported, 0 to 1; 0 until it reports */
  float progress() {
    return progress;
  }

  /**
   * Records the progress the task reported through its progress file.
   *
   * @param reported 0 to 1; values outside are clamped
   */
  void progress(float reported) {
    progress = Math.max(0f, Math.min(1f, reported));
  }

  /** @return true if the outcome ended the attempt, false if it had been abandoned */
  boolean returned(ActivationOutcome outcome) {
    return end.complete(new Returned(outcome));
  }

  /** @return true if this abandoned the attempt, false if it had ended already */
  boolean abandon(AttemptState state, String reason) {
    return end.complete(new Abandoned(state, reason));
  }

  /**
   * @return how the attempt ended, once it has
   * @throws InterruptedException if interrupted while waiting (the job is being killed)
   */
  End await() throws InterruptedException {
    try {
      return end.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("attempt " + attemptId + " ended exceptionally", e);
    }
  }
}
