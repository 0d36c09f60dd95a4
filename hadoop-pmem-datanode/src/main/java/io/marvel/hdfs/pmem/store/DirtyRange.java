package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;

/**
 * The smallest range of one mapped file covering what was written since the last sync. On a
 * mapping that is not PMEM (msync mode) only this range is synced on commit, not the whole file.
 * Thread-safe.
 */
final class DirtyRange {
  private long from = Long.MAX_VALUE;
  private long to = Long.MIN_VALUE;

  /** Records [offset, offset + count) as written. */
  synchronized void add(long offset, long count) {
    if (count > 0) {
      from = Math.min(from, offset);
      to = Math.max(to, offset + count);
    }
  }

  /** Syncs the recorded range of {@code region} and forgets it. */
  synchronized void persist(PmemRegion region) throws PmemException {
    if (from < to) {
      region.persist(from, to - from);
    }
    from = Long.MAX_VALUE;
    to = Long.MIN_VALUE;
  }
}
