package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;

/**
 * What a block file wrote with flushes but without the final fence, and how it is made
 * durable: a drain on PMEM, a sync of the written range otherwise (where draining would mean
 * syncing the whole mapping). Thread-safe.
 */
final class UnsyncedWrites {
  private final DirtyRange data = new DirtyRange();
  private final DirtyRange meta = new DirtyRange();

  void addData(long position, long count) {
    data.add(position, count);
  }

  void addMeta(long position, long count) {
    meta.add(position, count);
  }

  /**
   * Makes the writes of the calling thread durable.
   *
   * @param dataRegion the data mapping, or null when there is none
   * @throws PmemException if persisting fails
   */
  void persist(PmemRegion dataRegion, PmemRegion metaRegion) throws PmemException {
    if (dataRegion != null) {
      persist(dataRegion, data);
    }
    persist(metaRegion, meta);
  }

  private static void persist(PmemRegion region, DirtyRange written) throws PmemException {
    if (region.isPmem()) {
      region.drain();
    } else {
      written.persist(region);
    }
  }
}
