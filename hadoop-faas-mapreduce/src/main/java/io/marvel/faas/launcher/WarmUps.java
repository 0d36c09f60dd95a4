package io.marvel.faas.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * The warm-up activations of one job and the gate between them and the job's first tasks.
 * Warm-ups start while the client still stages the job; when its tasks come, a warm-up still
 * running holds a container that started earlier than any container a task could get now, so
 * the k-th task launch waits (at most {@code maxWaitMs}) until k warm-ups have ended and then
 * finds an idle warm container; launches beyond the number of warm-ups never wait. A task launch
 * that comes before the warm-ups are started cancels them. Thread-safe.
 */
public final class WarmUps {
  private final long maxWaitMs;
  /** Warm-ups started; -1 until {@link #begin}, 0 when none will be. */
  private int planned = -1;
  private int claimed;
  private final List<WarmUpResult> ended = new ArrayList<>();

  /** @param maxWaitMs the longest a task launch waits for a warm-up */
  public WarmUps(long maxWaitMs) {
    this.maxWaitMs = maxWaitMs;
  }

  /**
   * Says how many warm-ups start now.
   *
   * @param count warm-ups about to start
   * @return false if the job's tasks came first, and no warm-up is to start
   */
  public synchronized boolean begin(int count) {
    if (planned >= 0) {
      return false;
    }
    planned = count;
    return true;
  }

  /**
   * Records the end of a warm-up begun by {@link #begin}.
   *
   * @param result how it ended
   */
  public synchronized void ended(WarmUpResult result) {
    ended.add(result);
    notifyAll();
  }

  /**
   * Called before each task launch: waits for this launch's warm-up, if it has one.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public synchronized void beforeLaunch() throws InterruptedException {
    if (planned < 0) {
      planned = 0;
    }
    int ticket = ++claimed;
    if (ticket > planned) {
      return;
    }
    long deadline = System.currentTimeMillis() + maxWaitMs;
    for (long left = maxWaitMs; ended.size() < ticket && left > 0;
        left = deadline - System.currentTimeMillis()) {
      wait(left);
    }
  }

  /** @return the warm-ups that ended so far, in the order they ended */
  public synchronized List<WarmUpResult> results() {
    return List.copyOf(ended);
  }
}
