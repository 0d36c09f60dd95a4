package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PmemReplica;
import io.marvel.hdfs.pmem.store.PmemReplicaMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PMEM replicas the NameNode asked this DataNode to cache (HDFS cache directives,
 * {@code hdfs cacheadmin}). A PMEM replica is already mapped memory, so caching it copies and
 * locks nothing: it is recorded and reported as cached. The record holds the replica's
 * generation stamp and length; once the replica is appended to, recovered, moved or deleted it
 * no longer counts (the stock dataset uncaches a replica in those cases too), and the NameNode,
 * missing it from the next cache report, asks again.
 *
 * <p>Accounting: the cache capacity this adds to the DataNode's is the bytes of its finalized
 * PMEM replicas, and the cache used the bytes of those recorded as cached, so the NameNode's
 * view of the free cache (capacity minus used) has room for exactly the PMEM replicas not
 * cached yet, on top of {@code dfs.datanode.max.locked.memory} for stock replicas. Thread-safe.
 */
final class PmemCachedReplicas {
  private static final Logger LOG = LoggerFactory.getLogger(PmemCachedReplicas.class);

  private record Entry(PmemReplica replica, long stamp, long length) {
  }

  private final PmemReplicaMap replicas;
  private final Map<String, Map<Long, Entry>> cached = new ConcurrentHashMap<>();
  private final AtomicLong failedToCache = new AtomicLong();

  /** @param replicas the dataset's PMEM replicas */
  PmemCachedReplicas(PmemReplicaMap replicas) {
    this.replicas = replicas;
  }

  /**
   * Records a block as cached if it is a PMEM replica. One that is not finalized is not
   * cached and counts as failed, as in the stock dataset.
   *
   * @return false if the block has no PMEM replica here (the stock dataset's to cache)
   */
  boolean cache(String bpid, long blockId) {
    PmemReplica replica = replicas.get(bpid, blockId);
    if (replica == null) {
      return false;
    }
    synchronized (replica) {
      if (replica.getState() != ReplicaState.FINALIZED) {
        failedToCache.incrementAndGet();
        LOG.warn("Not caching {}: only finalized replicas are cached", replica);
        return true;
      }
      cached.computeIfAbsent(bpid, k -> new ConcurrentHashMap<>()).put(blockId,
          new Entry(replica, replica.getGenerationStamp(), replica.getNumBytes()));
    }
    LOG.debug("Cached {} (a PMEM replica, mapped already)", replica);
    return true;
  }

  /**
   * Forgets a cached PMEM replica.
   *
   * @return false if the block is neither recorded here nor a PMEM replica (the stock
   *     dataset's to uncache)
   */
  boolean uncache(String bpid, long blockId) {
    Map<Long, Entry> pool = cached.get(bpid);
    Entry removed = pool == null ? null : pool.remove(blockId);
    return removed != null || replicas.get(bpid, blockId) != null;
  }

  /** @return ids of the block pool's PMEM replicas that are cached, for the cache report */
  List<Long> report(String bpid) {
    List<Long> ids = new ArrayList<>();
    Map<Long, Entry> pool = cached.get(bpid);
    if (pool != null) {
      for (Map.Entry<Long, Entry> e : pool.entrySet()) {
        if (isCurrent(bpid, e.getValue())) {
          ids.add(e.getKey());
        } else {
          pool.remove(e.getKey(), e.getValue());
        }
      }
    }
    return ids;
  }

  /** @return whether the recorded replica is still the block's replica, unchanged */
  private boolean isCurrent(String bpid, Entry entry) {
    PmemReplica replica = entry.replica();
    if (replicas.get(bpid, replica.getBlockId()) != replica) {
      return false;
    }
    synchronized (replica) {
      return replica.getState() == ReplicaState.FINALIZED
          && replica.getGenerationStamp() == entry.stamp()
          && replica.getNumBytes() == entry.length();
    }
  }

  /** @return bytes of the finalized PMEM replicas of every block pool */
  long capacity() {
    long bytes = 0;
    for (String bpid : replicas.blockPools()) {
      for (PmemReplica replica : replicas.replicas(bpid)) {
        if (replica.getState() == ReplicaState.FINALIZED) {
          bytes += replica.getNumBytes();
        }
      }
    }
    return bytes;
  }

  /** @return bytes of the PMEM replicas cached now */
  long used() {
    long bytes = 0;
    for (Map.Entry<String, Map<Long, Entry>> pool : cached.entrySet()) {
      for (Entry entry : pool.getValue().values()) {
        if (isCurrent(pool.getKey(), entry)) {
          bytes += entry.length();
        }
      }
    }
    return bytes;
  }

  /** @return the number of PMEM replicas cached now */
  long count() {
    long count = 0;
    for (Map.Entry<String, Map<Long, Entry>> pool : cached.entrySet()) {
      for (Entry entry : pool.getValue().values()) {
        if (isCurrent(pool.getKey(), entry)) {
          count++;
        }
      }
    }
    return count;
  }

  /** @return cache requests for PMEM replicas that were refused (not finalized) */
  long failedToCache() {
    return failedToCache.get();
  }
}
