package io.marvel.hdfs.pmem.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link BlockFilePool} did with block files since it started: files its preparer made
 * ready, files a take created because none was ready, files of deleted replicas kept for reuse
 * files of deleted replicas deleted, and of the recycled ones those whose trimmed data file was
 * grown back. Preparing a file costs more CPU than writing it, so
 * these counts say what the pool cost. Thread-safe.
 */
final class PoolCounts {
  final AtomicLong prepared = new AtomicLong();
  final AtomicLong createdOnTake = new AtomicLong();
  /** Files the preparer created while a burst outran the pool, left unprepared until quiet. */
  final AtomicLong createdAhead = new AtomicLong();
  final AtomicLong recycled = new AtomicLong();
  final AtomicLong deleted = new AtomicLong();
  /** Recycled files whose trimmed data file was grown back to full size. */
  final AtomicLong regrown = new AtomicLong();
  /** Regrown files the preparer prepared. */
  final AtomicLong regrownPrepared = new AtomicLong();

  @Override
  public String toString() {
    return "prepared " + prepared + ", created on take " + createdOnTake + ", created ahead "
        + createdAhead + ", recycled "
        + recycled + " (regrown " + regrown + ", of them prepared " + regrownPrepared
        + "), deleted " + deleted;
  }
}
