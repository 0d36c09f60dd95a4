package io.marvel.hdfs.pmem.store;

import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Shared values and helpers of the store tests. */
final class BlockFileFixtures {
  static final BlockFileLayout LAYOUT = BlockFileLayout.forCapacity(64 * 1024, 512);

  private BlockFileFixtures() {
  }

  /** Polls every 10 ms for up to 10 s. */
  static void waitFor(BooleanSupplier condition) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }

  /**
   * Polls every 10 ms until {@code condition} holds or {@code millis} have passed.
   *
   * @return whether the condition held within that time
   */
  static boolean holdsWithin(long millis, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }
}
