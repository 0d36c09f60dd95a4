package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;

/**
 * What part of a block file was written since the last sync: one span in the meta area, one in
 * the data area (they lie far apart). On a mapping that is not PMEM (msync mode) only these spans
 * are synced on commit, not the whole file. Thread-safe.
 */
final class DirtyRanges {
  private final Span meta = new Span();
  private final Span data = new Span();

  /** Records [offset, offset + count) of the meta area (file offsets) as written. */
  synchronized void addMeta(long offset, long count) {
    meta.add(offset, count);
  }

  /** Records [offset, offset + count) of the data area (file offsets) as written. */
  synchronized void addData(long offset, long count) {
    data.add(offset, count);
  }

  /** Syncs the recorded spans and forgets them. */
  synchronized void persist(PmemRegion region) throws PmemException {
    meta.persist(region);
    data.persist(region);
  }

  /** The smallest range covering what was written. */
  private static final class Span {
    private long from = Long.MAX_VALUE;
    private long to = Long.MIN_VALUE;

    void add(long offset, long count) {
      if (count > 0) {
        from = Math.min(from, offset);
        to = Math.max(to, offset + count);
      }
    }

    void persist(PmemRegion region) throws PmemException {
      if (from < to) {
        region.persist(from, to - from);
      }
      from = Long.MAX_VALUE;
      to = Long.MIN_VALUE;
    }
  }
}
