package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.DuplicateReplicaRule.Decision;
import io.marvel.hdfs.pmem.DuplicateReplicaRule.Keep;
import io.marvel.hdfs.pmem.DuplicateReplicaRule.Version;
import io.marvel.hdfs.pmem.store.PmemReplica;
import java.io.IOException;
import java.util.Collection;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.protocol.Block;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.Replica;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInfo;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.protocol.BlockCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds blocks that are both a PMEM replica and a stock replica of this DataNode, as a crash in
 * the middle of a same-node move leaves them, and deletes the replica
 * {@link DuplicateReplicaRule} does not keep, the way the stock dataset resolves a block found on
 * two of its own volumes. Runs when a block pool is loaded and when a volume is added, before the
 * new replicas are reported. Neither deletion is reported to the NameNode: it applies a deletion
 * to the node, not to a storage, and would drop the kept replica too; the next block report
 * names the kept one's storage. Honors {@code dfs.datanode.duplicate.replica.deletion}.
 */
final class DuplicateReplicas {
  private static final Logger LOG = LoggerFactory.getLogger(DuplicateReplicas.class);

  private final FsDatasetSpi<?> stockDataset;
  private final PmemReplicas pmemSide;
  private final boolean deletionEnabled;

  /**
   * @param stock the stock dataset
   * @param pmem the PMEM side, whose replicas are compared with the stock dataset's
   * @param deletionEnabled {@code dfs.datanode.duplicate.replica.deletion}: false keeps both
   *     replicas (the DataNode serves and reports the PMEM one) and only warns
   */
  DuplicateReplicas(FsDatasetSpi<?> stock, PmemReplicas pmem, boolean deletionEnabled) {
    this.stockDataset = stock;
    this.pmemSide = pmem;
    this.deletionEnabled = deletionEnabled;
  }

  /**
   * Resolves the duplicates of PMEM replicas just loaded.
   *
   * @param bpid the block pool
   * @param loaded PMEM replicas of the pool, already in the dataset's replica map
   * @return how many replicas were deleted
   */
  int resolve(String bpid, Collection<PmemReplica> loaded) {
    int deleted = 0;
    for (PmemReplica pmem : loaded) {
      ReplicaInfo stock = stockReplica(bpid, pmem.getBlockId());
      if (stock != null && resolvePair(bpid, pmem, stock)) {
        deleted++;
      }
    }
    return deleted;
  }

  /**
   * Resolves the duplicates of the replicas of a stock volume just added.
   *
   * @param bpid the block pool
   * @param storageId the added volume's storage id
   * @return how many replicas were deleted
   */
  int resolveStockVolume(String bpid, String storageId) {
    int deleted = 0;
    for (PmemReplica pmem : pmemSide.map().replicas(bpid)) {
      ReplicaInfo stock = stockReplica(bpid, pmem.getBlockId());
      if (stock != null && stock.getVolume() != null
          && storageId.equals(stock.getVolume().getStorageID())
          && resolvePair(bpid, pmem, stock)) {
        deleted++;
      }
    }
    return deleted;
  }

  @SuppressWarnings("deprecation")
  private ReplicaInfo stockReplica(String bpid, long blockId) {
    return (ReplicaInfo) stockDataset.getReplica(bpid, blockId);
  }

  /** @return whether one of the two replicas was deleted */
  private boolean resolvePair(String bpid, PmemReplica pmem, ReplicaInfo stock) {
    // A replica being created or recovered belongs to an operation in progress, not to a crash.
    if (inProgress(pmem.getState()) || inProgress(stock.getState())) {
      return false;
    }
    String pmemWhere = describe(pmem, pmem.file().path());
    String stockWhere = describe(stock, stock.getBlockURI());
    if (!deletionEnabled) {
      LOG.warn("Block {} of {} is stored twice, as PMEM replica {} and as stock replica {}; both"
          + " stay since {} is false, and the PMEM one is served", pmem.getBlockId(), bpid,
          pmemWhere, stockWhere, DFSConfigKeys.DFS_DATANODE_DUPLICATE_REPLICA_DELETION);
      return false;
    }
    Decision decision = DuplicateReplicaRule.choose(Version.of(pmem), Version.of(stock));
    LOG.info("Block {} of {} is stored twice, as PMEM replica {} and as stock replica {}, as a"
        + " move interrupted by a crash leaves it: keeping the {} replica ({}), deleting the"
        + " other", pmem.getBlockId(), bpid, pmemWhere, stockWhere, decision.keep(),
        decision.reason());
    try {
      if (decision.keep() == Keep.PMEM) {
        deleteSilently(bpid, stock);
      } else {
        pmemSide.delete(bpid, pmem);
      }
      return true;
    } catch (IOException e) {
      LOG.warn("Deleting the duplicate of block {} of {} failed; both replicas stay until the"
          + " next restart, and the PMEM one is served", pmem.getBlockId(), bpid, e);
      return false;
    }
  }

  private static boolean inProgress(ReplicaState state) {
    return state == ReplicaState.TEMPORARY || state == ReplicaState.RUR;
  }

  private static String describe(Replica replica, Object where) {
    return where + " (" + replica.getState() + ", generation stamp "
        + replica.getGenerationStamp() + ", " + replica.getNumBytes() + " bytes)";
  }

  /** A length of {@link BlockCommand#NO_ACK} tells the stock deleter not to report it. */
  private void deleteSilently(String bpid, ReplicaInfo stock) throws IOException {
    Block silent = new Block(stock.getBlockId(), BlockCommand.NO_ACK,
        stock.getGenerationStamp());
    stockDataset.invalidate(bpid, new Block[] {silent});
  }
}
