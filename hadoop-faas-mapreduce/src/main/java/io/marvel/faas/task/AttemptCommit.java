package io.marvel.faas.task;

import io.marvel.faas.protocol.CommitGates;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The commit permission of one task attempt: before its output becomes the task's (the
 * OutputCommitter's task commit, or the map output published to the state store) the attempt
 * claims its gate in the job's staging dir, unless the coordinator has abandoned it first (the
 * user killed or failed it). Claims once; later calls return at once. Thread-safe.
 *
 * <p>Refusals are unchecked on purpose: Hadoop's {@code Task.commit} retries an
 * {@link IOException} from {@code canCommit} and then exits the JVM, which would take the warm
 * container and, in the in-JVM launcher, the client with it.
 */
final class AttemptCommit {
  private final CommitGates gates;
  private final String attemptId;
  private boolean claimed;

  /**
   * @param gates the job's commit gates
   * @param attemptId this attempt
   */
  AttemptCommit(CommitGates gates, String attemptId) {
    this.gates = gates;
    this.attemptId = attemptId;
  }

  /**
   * Claims this attempt's commit.
   *
   * @throws AbandonedException if the coordinator abandoned the attempt
   * @throws UncheckedIOException if the gate cannot be checked (for example the job has ended
   *     and its staging dir is gone)
   */
  synchronized void claim() {
    if (claimed) {
      return;
    }
    try {
      if (!gates.claim(attemptId)) {
        throw new AbandonedException("task attempt " + attemptId + " was abandoned by the"
            + " coordinator (killed or failed by the user); its output is not committed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("task attempt " + attemptId + " cannot claim its commit"
          + " in " + gates.dir() + "; its output is not committed", e);
    }
    claimed = true;
  }

  /**
   * @return true if the attempt can no longer commit: the coordinator abandoned it or the job
   *     ended. False once it claimed its commit, and when the gate cannot be checked now.
   */
  synchronized boolean isAbandoned() {
    if (claimed) {
      return false;
    }
    try {
      return gates.isClosed(attemptId);
    } catch (IOException | RuntimeException e) {
      // Asked again at the next status update. Nothing may escape: three failures in a row
      // on Hadoop's reporter thread exit the JVM.
      return false;
    }
  }

  /** The attempt was abandoned by the coordinator; it must not commit. */
  static final class AbandonedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AbandonedException(String message) {
      super(message);
    }

    AbandonedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
