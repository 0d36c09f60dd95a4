package io.marvel.hdfs.pmem;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;

/**
 * HDFS caching ({@code hdfs cacheadmin} directives) for a dataset with PMEM replicas: cache
 * commands for PMEM replicas are answered by {@link PmemCachedReplicas} (they are mapped
 * already), all others go to the stock dataset's cache, which mmaps and locks stock replicas
 * within {@code dfs.datanode.max.locked.memory}. Reports and metrics add both.
 */
abstract class PmemCachingDataset extends PmemIoDataset {
  private final PmemCachedReplicas cached = new PmemCachedReplicas(replicas);

  PmemCachingDataset(FsDatasetSpi<FsVolumeImpl> stock, DataNode datanode,
      PmemVolumes volumes) {
    super(stock, datanode, volumes);
  }

  @Override
  public void cache(String bpid, long[] blockIds) {
    List<Long> notOurs = new ArrayList<>();
    for (long id : blockIds) {
      if (!cached.cache(bpid, id)) {
        notOurs.add(id);
      }
    }
    if (!notOurs.isEmpty()) {
      stock.cache(bpid, notOurs.stream().mapToLong(Long::longValue).toArray());
    }
  }

  @Override
  public void uncache(String bpid, long[] blockIds) {
    List<Long> notOurs = new ArrayList<>();
    for (long id : blockIds) {
      if (!cached.uncache(bpid, id)) {
        notOurs.add(id);
      }
    }
    if (!notOurs.isEmpty()) {
      stock.uncache(bpid, notOurs.stream().mapToLong(Long::longValue).toArray());
    }
  }

  @Override
  public List<Long> getCacheReport(String bpid) {
    List<Long> ids = new ArrayList<>(stock.getCacheReport(bpid));
    ids.addAll(cached.report(bpid));
    return ids;
  }

  /**
   * For a PMEM replica always false: the DataNode asks this to decide whether a short-circuit
   * client may skip checksums ("anchorable"), which the stock cache allows only after it has
   * verified the replica while caching it; caching a PMEM replica verifies nothing.
   */
  @Override
  public boolean isCached(String bpid, long blockId) {
    return replicas.get(bpid, blockId) == null && stock.isCached(bpid, blockId);
  }

  @Override
  public long getCacheCapacity() {
    return stock.getCacheCapacity() + cached.capacity();
  }

  @Override
  public long getCacheUsed() {
    return stock.getCacheUsed() + cached.used();
  }

  @Override
  public long getNumBlocksCached() {
    return stock.getNumBlocksCached() + cached.count();
  }

  @Override
  public long getNumBlocksFailedToCache() {
    return stock.getNumBlocksFailedToCache() + cached.failedToCache();
  }
}
