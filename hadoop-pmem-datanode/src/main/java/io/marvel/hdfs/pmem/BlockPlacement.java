package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PmemReplica;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.protocol.Block;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;

/**
 * Where a block lives on this DataNode, decided in this one place: a block with a PMEM
 * replica is PMEM's, every other block the stock dataset's (while a same-node move or a
 * crash leaves both, the PMEM replica is served). A new replica goes to PMEM when the NameNode
 * asks for storage type NVDIMM or names a PMEM volume. Thread-safe.
 */
final class BlockPlacement {
  /** A block of a batch that has a PMEM replica, with that replica. */
  record OnPmem(Block block, PmemReplica replica) {
  }

  /** The blocks of a batch by the side that holds them, each in the batch's order. */
  record Split(List<OnPmem> pmem, List<Block> stock) {
  }

  private final PmemReplicas pmem;
  private final StockReplicaSide stockSide;

  /**
   * @param pmem the PMEM side
   * @param stock the stock dataset
   */
  BlockPlacement(PmemReplicas pmem, FsDatasetSpi<FsVolumeImpl> stock) {
    this.pmem = pmem;
    this.stockSide = new StockReplicaSide(stock);
  }

  /** @return the PMEM side */
  PmemReplicas pmem() {
    return pmem;
  }

  /** @return the side that answers calls about block {@code b} */
  ReplicaSide of(ExtendedBlock b) {
    return of(b.getBlockPoolId(), b.getBlockId());
  }

  /** @return the side that answers calls about the block */
  ReplicaSide of(String bpid, long blockId) {
    PmemReplica replica = pmemReplica(bpid, blockId);
    return replica == null ? stockSide : new PmemReplicaSide(pmem, replica);
  }

  /** @return the PMEM replica of {@code b}, or null when the block is the stock dataset's */
  PmemReplica pmemReplica(ExtendedBlock b) {
    return pmemReplica(b.getBlockPoolId(), b.getBlockId());
  }

  /** @return the PMEM replica of the block, or null when the block is the stock dataset's */
  PmemReplica pmemReplica(String bpid, long blockId) {
    return pmem.map().get(bpid, blockId);
  }

  /**
   * @param storageType the storage type the NameNode asks for
   * @param storageId the storage the NameNode suggests, or null
   * @return whether a new replica goes to PMEM
   */
  boolean newReplicaOnPmem(StorageType storageType, String storageId) {
    PmemVolumes volumes = pmem.volumes();
    if (volumes.isEmpty()) {
      return false;
    }
    return storageType == StorageType.NVDIMM
        || (storageId != null && volumes.get(storageId) != null);
  }

  /** @return the blocks of a batch split by side */
  Split split(String bpid, Block[] blocks) {
    List<OnPmem> onPmem = new ArrayList<>();
    List<Block> onStock = new ArrayList<>();
    for (Block block : blocks) {
      PmemReplica replica = pmemReplica(bpid, block.getBlockId());
      if (replica == null) {
        onStock.add(block);
      } else {
        onPmem.add(new OnPmem(block, replica));
      }
    }
    return new Split(onPmem, onStock);
  }
}
