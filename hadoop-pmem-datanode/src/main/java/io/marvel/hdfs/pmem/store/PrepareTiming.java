package io.marvel.hdfs.pmem.store;

/**
 * When a {@link BlockFilePool}'s preparer may prepare a file: once the volume has been quiet
 * (nothing noted) for the quiet time, or at once while a burst of new replicas outruns the pool
 * (a take found no ready file and the pool is empty again), until the volume is quiet. Preparing
 * costs more CPU than writing, and on a machine of few cores it would slow the replicas being
 * written and read, hsync's round trips most of all.
 *
 * <p>Thread-safe.
 */
final class PrepareTiming {
  private final long quietNanos;
  private volatile long lastBusyNanos;
  /** Set when a take found no ready file, until the volume is quiet again. */
  private boolean starved;

  /** @param quietNanos how long the volume must be quiet before the pool fills up */
  PrepareTiming(long quietNanos) {
    this.quietNanos = quietNanos;
    this.lastBusyNanos = System.nanoTime() - quietNanos;
  }

  /** Notes that the volume is busy now; one volatile write, cheap enough for every packet. */
  void noteActivity() {
    lastBusyNanos = System.nanoTime();
  }

  /** Notes a take: busy, and starved when it found no ready file. */
  synchronized void noteTake(boolean foundFile) {
    noteActivity();
    starved |= !foundFile;
  }

  /** @return whether nothing was noted for the quiet time */
  boolean isQuiet() {
    return System.nanoTime() - lastBusyNanos >= quietNanos;
  }

  /**
   * @param poolEmpty whether the pool has no ready file
   * @return 0 when the preparer may prepare a file now, else nanoseconds to wait before asking
   *     again (unless woken earlier)
   */
  synchronized long nanosUntilPreparing(boolean poolEmpty) {
    long busyFor = lastBusyNanos + quietNanos - System.nanoTime();
    if (busyFor <= 0) {
      starved = false;
      return 0;
    }
    return starved && poolEmpty ? 0 : busyFor;
  }
}
