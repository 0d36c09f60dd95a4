package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PmemReplica;
import io.marvel.hdfs.pmem.store.PmemReplicaMap;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi.BlockIterator;

/**
 * The blocks of one block pool on one [NVDIMM] volume, for the disk balancer: first the blocks
 * the stock iterator finds in the stock layout (replicas a stock dataset left there), then the
 * volume's finalized PMEM replicas in block id order. The PMEM part is a snapshot taken at
 * creation and at {@link #rewind()}; a replica that left the volume or stopped being finalized
 * since is skipped. It keeps no cursor: {@link #save()} saves the stock part only, and a loaded
 * iterator walks the PMEM replicas from the start. Not thread-safe, like the stock iterator.
 */
final class PmemBlockIterator implements BlockIterator {
  private final BlockIterator stock;
  private final PmemReplicaMap replicas;
  private final String storageId;
  private final String bpid;
  private final Deque<PmemReplica> pending = new ArrayDeque<>();

  /**
   * @param stock the stock volume's iterator of the same block pool
   * @param replicas the dataset's PMEM replicas
   * @param storageId the volume's storage id
   */
  PmemBlockIterator(BlockIterator stock, PmemReplicaMap replicas, String storageId) {
    this.stock = stock;
    this.replicas = replicas;
    this.storageId = storageId;
    this.bpid = stock.getBlockPoolId();
    snapshot();
  }

  private void snapshot() {
    pending.clear();
    List<PmemReplica> all = replicas.replicas(bpid);
    all.sort(Comparator.comparingLong(PmemReplica::getBlockId));
    for (PmemReplica replica : all) {
      if (storageId.equals(replica.getStorageUuid())) {
        pending.add(replica);
      }
    }
  }

  @Override
  public ExtendedBlock nextBlock() throws IOException {
    if (!stock.atEnd()) {
      ExtendedBlock block = stock.nextBlock();
      if (block != null) {
        return block;
      }
    }
    while (!pending.isEmpty()) {
      PmemReplica replica = pending.poll();
      if (isStillHere(replica)) {
        synchronized (replica) {
          return new ExtendedBlock(bpid, replica.getBlockId(), replica.getNumBytes(),
              replica.getGenerationStamp());
        }
      }
    }
    return null;
  }

  private boolean isStillHere(PmemReplica replica) {
    return replicas.get(bpid, replica.getBlockId()) == replica
        && replica.getState() == ReplicaState.FINALIZED;
  }

  @Override
  public boolean atEnd() {
    return stock.atEnd() && pending.isEmpty();
  }

  @Override
  public void rewind() {
    stock.rewind();
    snapshot();
  }

  @Override
  public void save() throws IOException {
    stock.save();
  }

  @Override
  public void setMaxStalenessMs(long maxStalenessMs) {
    stock.setMaxStalenessMs(maxStalenessMs);
  }

  @Override
  public long getIterStartMs() {
    return stock.getIterStartMs();
  }

  @Override
  public long getLastSavedMs() {
    return stock.getLastSavedMs();
  }

  @Override
  public String getBlockPoolId() {
    return bpid;
  }

  @Override
  public void close() throws IOException {
    stock.close();
  }
}
