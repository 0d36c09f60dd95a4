package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PmemReplica;
import io.marvel.hdfs.pmem.store.PmemReplicaMap;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.ReplicaAlreadyExistsException;
import org.apache.hadoop.hdfs.server.datanode.ReplicaHandler;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeReference;
import org.apache.hadoop.util.DiskChecker.DiskOutOfSpaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PMEM side of the dataset: the PMEM volumes in service, the replicas they hold, and the
 * operations that create, delete and close PMEM replicas. Calls about one existing replica
 * are {@link PmemReplicaSide}'s. Thread-safe: the map and the volumes are; PMEM replicas
 * synchronize on themselves.
 */
final class PmemReplicas {
  private static final Logger LOG = LoggerFactory.getLogger(PmemReplicas.class);

  private final DataNode datanode;
  private final PmemVolumes volumes;
  private final PmemReplicaMap map = new PmemReplicaMap();
  private final FsDatasetSpi<?> stock;

  /**
   * @param datanode the DataNode, for its settings and for disk checks
   * @param volumes the PMEM volumes in service
   * @param stock the stock dataset, only to refuse creating a block it holds
   */
  PmemReplicas(DataNode datanode, PmemVolumes volumes, FsDatasetSpi<?> stock) {
    this.datanode = datanode;
    this.volumes = volumes;
    this.stock = stock;
  }

  /** @return the PMEM replicas by block pool and block id */
  PmemReplicaMap map() {
    return map;
  }

  /** @return the PMEM volumes in service */
  PmemVolumes volumes() {
    return volumes;
  }

  /** @return the DataNode */
  DataNode datanode() {
    return datanode;
  }

  /** @return ms to wait for the writer of a replica to stop (an xceiver's stop timeout) */
  long stopTimeout() {
    return datanode.getDnConf().getXceiverStopTimeout();
  }

  /** {@code createTemporary} on PMEM: a stale temporary or RBW replica makes room. */
  ReplicaHandler createTemporary(ExtendedBlock b) throws IOException {
    PmemReplica existing = map.get(b.getBlockPoolId(), b.getBlockId());
    if (existing != null) {
      ReplicaState state = existing.getState();
      boolean stale = existing.getGenerationStamp() < b.getGenerationStamp()
          && (state == ReplicaState.TEMPORARY || state == ReplicaState.RBW);
      if (!stale) {
        throw new ReplicaAlreadyExistsException("Block " + b + " already exists in state "
            + state + " on PMEM and thus cannot be created.");
      }
      existing.stopWriter(stopTimeout());
      delete(b.getBlockPoolId(), existing);
    }
    return create(b, b.getGenerationStamp(), ReplicaState.TEMPORARY);
  }

  /** {@code createRbw} on PMEM; {@code newGS} 0 keeps the block's generation stamp. */
  ReplicaHandler createRbw(ExtendedBlock b, long newGS) throws IOException {
    PmemReplica existing = map.get(b.getBlockPoolId(), b.getBlockId());
    if (existing != null) {
      throw new ReplicaAlreadyExistsException("Block " + b + " already exists in state "
          + existing.getState() + " on PMEM and thus cannot be created.");
    }
    long stamp = newGS != 0L ? newGS : b.getGenerationStamp();
    return create(b, stamp, ReplicaState.RBW);
  }

  @SuppressWarnings("deprecation")
  private ReplicaHandler create(ExtendedBlock b, long stamp, ReplicaState state)
      throws IOException {
    if (stock.getReplica(b.getBlockPoolId(), b.getBlockId()) != null) {
      throw new ReplicaAlreadyExistsException("Block " + b + " already exists on a non-PMEM"
          + " volume and thus cannot be created on PMEM.");
    }
    List<String> full = new ArrayList<>();
    for (PmemVolume volume : volumes.candidates()) {
      FsVolumeReference ref;
      try {
        ref = volume.volume().obtainReference();
      } catch (ClosedChannelException e) {
        // The volume is being removed; the next one serves.
        continue;
      }
      try {
        PmemReplica replica = volume.createReplica(b.getBlockPoolId(), b.getBlockId(), stamp,
            state);
        replica.setWriter(Thread.currentThread());
        map.put(b.getBlockPoolId(), replica);
        LOG.debug("Created {}", replica);
        return new ReplicaHandler(replica, ref);
      } catch (DiskOutOfSpaceException e) {
        ref.close();
        full.add(e.getMessage());
      } catch (IOException | RuntimeException e) {
        ref.close();
        datanode.checkDiskErrorAsync(volume.volume());
        throw new IOException("creating " + b + " on " + volume + " failed", e);
      }
    }
    throw new DiskOutOfSpaceException("No PMEM volume can take block " + b + ": "
        + (full.isEmpty() ? "no PMEM volume is in service" : String.join("; ", full)));
  }

  /**
   * Deletes the PMEM replicas of blocks the NameNode invalidated and reports each deletion.
   *
   * @return one message per replica that could not be deleted
   */
  List<String> invalidate(String bpid, List<BlockPlacement.OnPmem> blocks) {
    List<String> errors = new ArrayList<>();
    for (BlockPlacement.OnPmem block : blocks) {
      PmemReplica replica = block.replica();
      try {
        delete(bpid, replica);
        datanode.notifyNamenodeDeletedBlock(new ExtendedBlock(bpid, block.block()),
            replica.getStorageUuid());
      } catch (IOException e) {
        errors.add(replica + ": " + e.getMessage());
      }
    }
    return errors;
  }

  /** Removes a replica and gives its file back to its volume. */
  void delete(String bpid, PmemReplica replica) throws IOException {
    if (!map.remove(bpid, replica)) {
      return;
    }
    release(replica);
    LOG.debug("Deleted {}", replica);
  }

  /**
   * Gives the file of a replica no longer in the map back to its volume, or deletes it when the
   * volume left service.
   */
  void release(PmemReplica replica) throws IOException {
    replica.interruptThread();
    PmemVolume volume = volumes.get(replica.getStorageUuid());
    if (volume == null) {
      replica.file().delete();
    } else {
      volume.release(replica);
    }
  }

  /** Stops the writers of replicas leaving the map and unmaps their files; files stay. */
  static void closeFiles(Collection<PmemReplica> list) {
    for (PmemReplica replica : list) {
      replica.interruptThread();
      try {
        replica.file().close();
      } catch (IOException e) {
        LOG.warn("Unmapping {} failed", replica, e);
      }
    }
  }
}
