package io.marvel.hdfs.pmem.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The PMEM replicas a DataNode serves, by block pool and block id. Thread-safe; compound
 * changes of one replica are made under the replica's own monitor.
 */
public final class PmemReplicaMap {
  private final Map<String, Map<Long, PmemReplica>> pools = new ConcurrentHashMap<>();

  /** @return the replica, or null */
  public PmemReplica get(String bpid, long blockId) {
    Map<Long, PmemReplica> pool = pools.get(bpid);
    return pool == null ? null : pool.get(blockId);
  }

  /**
   * Adds or replaces a replica.
   *
   * @return the replica it replaced, or null
   */
  public PmemReplica put(String bpid, PmemReplica replica) {
    return pools.computeIfAbsent(bpid, k -> new ConcurrentHashMap<>())
        .put(replica.getBlockId(), replica);
  }

  /** Removes {@code replica} if it is still the one mapped; returns whether it was. */
  public boolean remove(String bpid, PmemReplica replica) {
    Map<Long, PmemReplica> pool = pools.get(bpid);
    return pool != null && pool.remove(replica.getBlockId(), replica);
  }

  /** @return a snapshot of the replicas of a block pool */
  public List<PmemReplica> replicas(String bpid) {
    Map<Long, PmemReplica> pool = pools.get(bpid);
    return pool == null ? List.of() : new ArrayList<>(pool.values());
  }

  /** @return the block pools with replicas */
  public List<String> blockPools() {
    return new ArrayList<>(pools.keySet());
  }

  /** Removes and returns the replicas of every pool that match {@code which}. */
  public List<PmemReplica> removeIf(Predicate<PmemReplica> which) {
    List<PmemReplica> removed = new ArrayList<>();
    for (Map<Long, PmemReplica> pool : pools.values()) {
      Collection<PmemReplica> values = pool.values();
      for (PmemReplica replica : values) {
        if (which.test(replica) && pool.remove(replica.getBlockId(), replica)) {
          removed.add(replica);
        }
      }
    }
    return removed;
  }

  /** Removes and returns every replica of a block pool. */
  public List<PmemReplica> removePool(String bpid) {
    Map<Long, PmemReplica> pool = pools.remove(bpid);
    return pool == null ? List.of() : new ArrayList<>(pool.values());
  }
}
