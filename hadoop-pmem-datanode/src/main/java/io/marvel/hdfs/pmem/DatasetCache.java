package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PmemReplicaMap;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;

/**
 * HDFS caching ({@code hdfs cacheadmin} directives) for a dataset with PMEM replicas: cache
 * commands for PMEM replicas are answered by {@link PmemCachedReplicas} (they are mapped
 * already), all others go to the stock dataset's cache, which mmaps and locks stock replicas
 * within {@code dfs.datanode.max.locked.memory}. Reports and metrics add both. Thread-safe.
 */
final class DatasetCache {
  private final FsDatasetSpi<?> stock;
  private final PmemCachedReplicas cached;

  /**
   * @param stock the stock dataset
   * @param replicas the dataset's PMEM replicas
   */
  DatasetCache(FsDatasetSpi<?> stock, PmemReplicaMap replicas) {
    this.stock = stock;
    this.cached = new PmemCachedReplicas(replicas);
  }

  /** {@code FsDatasetSpi.cache}. */
  void cache(String bpid, long[] blockIds) {
    List<Long> notOurs = new ArrayList<>();
    for (long id : blockIds) {
      if (!cached.cache(bpid, id)) {
        notOurs.add(id);
      }
    }
    if (!notOurs.isEmpty()) {
      stock.cache(bpid, toArray(notOurs));
    }
  }

  /** {@code FsDatasetSpi.uncache}. */
  void uncache(String bpid, long[] blockIds) {
    List<Long> notOurs = new ArrayList<>();
    for (long id : blockIds) {
      if (!cached.uncache(bpid, id)) {
        notOurs.add(id);
      }
    }
    if (!notOurs.isEmpty()) {
      stock.uncache(bpid, toArray(notOurs));
    }
  }

  private static long[] toArray(List<Long> ids) {
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  /** @return the ids of the block pool's cached blocks, stock and PMEM */
  List<Long> report(String bpid) {
    List<Long> ids = new ArrayList<>(stock.getCacheReport(bpid));
    ids.addAll(cached.report(bpid));
    return ids;
  }

  /** @return locked memory the stock cache may use plus the finalized PMEM replicas, bytes */
  long capacity() {
    return stock.getCacheCapacity() + cached.capacity();
  }

  /** @return bytes of locked memory in use plus bytes of the PMEM replicas cached */
  long used() {
    return stock.getCacheUsed() + cached.used();
  }

  /** @return blocks cached, stock and PMEM */
  long count() {
    return stock.getNumBlocksCached() + cached.count();
  }

  /** @return cache requests that failed, stock and PMEM */
  long failedToCache() {
    return stock.getNumBlocksFailedToCache() + cached.failedToCache();
  }
}
