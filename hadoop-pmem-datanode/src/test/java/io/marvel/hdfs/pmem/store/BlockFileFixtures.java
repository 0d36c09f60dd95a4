package io.marvel.hdfs.pmem.store;

import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Shared values and helpers of the store tests. */
final class BlockFileFixtures {
  static final BlockFileLayout LAYOUT = BlockFileLayout.forCapacity(64 * 1024, 512);

  private BlockFileFixtures() {
  }

  /**
   * Polls every 10 ms for up to 60 s: long, because the pools' preparer runs at idle priority and
   * gets almost no CPU while a loaded machine's cores are busy (it once took more than 10 s).
   */
  static void waitFor(BooleanSupplier condition) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("condition not met within 60 s");
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
