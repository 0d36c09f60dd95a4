package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.BlockArea;
import io.marvel.hdfs.pmem.store.PmemReplica;
import io.marvel.hdfs.pmem.store.PmemReplicaMap;
import io.marvel.hdfs.pmem.store.ReplicaFileInputStream;
import io.marvel.hdfs.pmem.store.ReplicaMetaOutput;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.protocol.Block;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.Replica;
import org.apache.hadoop.hdfs.server.datanode.ReplicaAlreadyExistsException;
import org.apache.hadoop.hdfs.server.datanode.ReplicaHandler;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInPipeline;
import org.apache.hadoop.hdfs.server.datanode.UnexpectedReplicaStateException;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeReference;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.LengthInputStream;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.ReplicaInputStreams;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.ReplicaOutputStreams;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;
import org.apache.hadoop.util.DiskChecker.DiskOutOfSpaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica I/O half of {@link PmemDataset}: creating, reading, finalizing and deleting
 * replicas, each call going to the PMEM replica when there is one and to the stock dataset
 * otherwise. New replicas go to PMEM when the NameNode asks for storage type NVDIMM.
 */
abstract class PmemIoDataset extends ForwardingDataset {
  private static final Logger LOG = LoggerFactory.getLogger(PmemIoDataset.class);

  protected final DataNode datanode;
  protected final PmemVolumes volumes;
  protected final PmemReplicaMap replicas = new PmemReplicaMap();

  PmemIoDataset(FsDatasetSpi<FsVolumeImpl> stock, DataNode datanode, PmemVolumes volumes) {
    super(stock);
    this.datanode = datanode;
    this.volumes = volumes;
  }

  /** @return the PMEM replica of {@code b}, or null when it is not a PMEM replica */
  protected PmemReplica pmem(ExtendedBlock b) {
    return replicas.get(b.getBlockPoolId(), b.getBlockId());
  }

  @Override
  public FsVolumeImpl getVolume(ExtendedBlock b) {
    PmemReplica replica = pmem(b);
    return replica == null ? stock.getVolume(b) : (FsVolumeImpl) replica.getVolume();
  }

  /**
   * For a PMEM replica: its meta file as a file stream reading the mapping, so that the
   * DataNode can pass the descriptor to a short-circuit client.
   */
  @Override
  public LengthInputStream getMetaDataInputStream(ExtendedBlock b) throws IOException {
    PmemReplica replica = pmem(b);
    if (replica == null) {
      return stock.getMetaDataInputStream(b);
    }
    long length = replica.metaLength();
    return new LengthInputStream(stillCurrent(b, replica,
        ReplicaFileInputStream.meta(replica.file(), length)), length);
  }

  @Override
  public long getLength(ExtendedBlock b) throws IOException {
    PmemReplica replica = pmem(b);
    return replica == null ? stock.getLength(b) : replica.getBytesOnDisk();
  }

  @Override
  @Deprecated
  public Replica getReplica(String bpid, long blockId) {
    PmemReplica replica = replicas.get(bpid, blockId);
    return replica == null ? stock.getReplica(bpid, blockId) : replica;
  }

  @Override
  public String getReplicaString(String bpid, long blockId) {
    PmemReplica replica = replicas.get(bpid, blockId);
    return replica == null ? stock.getReplicaString(bpid, blockId) : replica.toString();
  }

  @Override
  public Block getStoredBlock(String bpid, long blockId) throws IOException {
    PmemReplica replica = replicas.get(bpid, blockId);
    return replica == null ? stock.getStoredBlock(bpid, blockId)
        : new Block(blockId, replica.getBytesOnDisk(), replica.getGenerationStamp());
  }

  /**
   * For a PMEM replica: its data file as a file stream reading the mapping, whose channel the
   * block sender uses to send from PMEM and whose descriptor the DataNode passes to
   * short-circuit clients.
   */
  @Override
  public InputStream getBlockInputStream(ExtendedBlock b, long seekOffset) throws IOException {
    PmemReplica replica = pmem(b);
    if (replica == null) {
      return stock.getBlockInputStream(b, seekOffset);
    }
    long end = replica.getBytesOnDisk();
    if (seekOffset > end) {
      throw new EOFException("offset " + seekOffset + " beyond the " + end + " bytes of "
          + replica);
    }
    PmemVolume volume = volumes.get(replica.getStorageUuid());
    if (volume != null) {
      volume.noteRead();
    }
    return stillCurrent(b, replica, ReplicaFileInputStream.data(replica.file(), seekOffset, end));
  }

  /**
   * Returns {@code in} if {@code replica} is still the replica of {@code b}. Files are opened by
   * path, and a replica deleted meanwhile may have left its path to a new replica of the same
   * block; its descriptor, passed to a short-circuit client, would then read the wrong bytes.
   * A replica's files keep their path while it is in the map, so passing this check after the
   * open proves the descriptor is the replica's.
   */
  private ReplicaFileInputStream stillCurrent(ExtendedBlock b, PmemReplica replica,
      ReplicaFileInputStream in) throws IOException {
    if (pmem(b) != replica) {
      in.close();
      throw new IOException("PMEM replica " + replica + " was deleted or replaced while "
          + b + " was opened for reading; read it again");
    }
    return in;
  }

  @Override
  public ReplicaInputStreams getTmpInputStreams(ExtendedBlock b, long blkoff, long ckoff)
      throws IOException {
    PmemReplica replica = pmem(b);
    if (replica == null) {
      return stock.getTmpInputStreams(b, blkoff, ckoff);
    }
    FsVolumeReference ref = replica.getVolume().obtainReference();
    long dataEnd = replica.getBytesOnDisk();
    long metaEnd = replica.metaLength();
    return new ReplicaInputStreams(
        BlockArea.DATA.stream(replica.file(), Math.min(blkoff, dataEnd), dataEnd),
        BlockArea.META.stream(replica.file(), Math.min(ckoff, metaEnd), metaEnd),
        ref, replica.getVolume().getFileIoProvider());
  }

  @Override
  public ReplicaHandler createTemporary(StorageType storageType, String storageId,
      ExtendedBlock b, boolean isTransfer) throws IOException {
    if (!wantsPmem(storageType, storageId)) {
      return stock.createTemporary(storageType, storageId, b, isTransfer);
    }
    PmemReplica existing = pmem(b);
    if (existing != null) {
      ReplicaState state = existing.getState();
      boolean stale = existing.getGenerationStamp() < b.getGenerationStamp()
          && (state == ReplicaState.TEMPORARY || state == ReplicaState.RBW);
      if (!stale) {
        throw new ReplicaAlreadyExistsException("Block " + b + " already exists in state "
            + state + " on PMEM and thus cannot be created.");
      }
      existing.stopWriter(datanode.getDnConf().getXceiverStopTimeout());
      delete(b.getBlockPoolId(), existing);
    }
    return create(b, b.getGenerationStamp(), ReplicaState.TEMPORARY);
  }

  @Override
  public ReplicaHandler createRbw(StorageType storageType, String storageId, ExtendedBlock b,
      boolean allowLazyPersist) throws IOException {
    return createRbw(storageType, storageId, b, allowLazyPersist, 0L);
  }

  @Override
  public ReplicaHandler createRbw(StorageType storageType, String storageId, ExtendedBlock b,
      boolean allowLazyPersist, long newGS) throws IOException {
    if (!wantsPmem(storageType, storageId)) {
      return stock.createRbw(storageType, storageId, b, allowLazyPersist, newGS);
    }
    PmemReplica existing = pmem(b);
    if (existing != null) {
      throw new ReplicaAlreadyExistsException("Block " + b + " already exists in state "
          + existing.getState() + " on PMEM and thus cannot be created.");
    }
    long stamp = newGS != 0L ? newGS : b.getGenerationStamp();
    return create(b, stamp, ReplicaState.RBW);
  }

  /** New replicas go to PMEM for storage type NVDIMM, or a PMEM volume named by id. */
  private boolean wantsPmem(StorageType storageType, String storageId) {
    if (volumes.isEmpty()) {
      return false;
    }
    return storageType == StorageType.NVDIMM
        || (storageId != null && volumes.get(storageId) != null);
  }

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
        replicas.put(b.getBlockPoolId(), replica);
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

  @Override
  public ReplicaInPipeline convertTemporaryToRbw(ExtendedBlock temporary) throws IOException {
    PmemReplica replica = pmem(temporary);
    if (replica == null) {
      return stock.convertTemporaryToRbw(temporary);
    }
    if (replica.getState() != ReplicaState.TEMPORARY) {
      throw new UnexpectedReplicaStateException(temporary, ReplicaState.TEMPORARY);
    }
    replica.convertToRbw();
    return replica;
  }

  /**
   * For a PMEM replica {@code fsyncDir} asks for nothing more: finalizing renames nothing, and
   * the replica's directory entry was made durable when it was created.
   */
  @Override
  public void finalizeBlock(ExtendedBlock b, boolean fsyncDir) throws IOException {
    PmemReplica replica = pmem(b);
    if (replica == null) {
      stock.finalizeBlock(b, fsyncDir);
      return;
    }
    if (Thread.interrupted()) {
      throw new IOException("Cannot finalize " + b + " from an interrupted thread");
    }
    if (replica.getState() != ReplicaState.FINALIZED) {
      replica.finalizeReplica();
    }
  }

  @Override
  public void unfinalizeBlock(ExtendedBlock b) throws IOException {
    PmemReplica replica = pmem(b);
    if (replica == null) {
      stock.unfinalizeBlock(b);
      return;
    }
    if (replica.getState() == ReplicaState.TEMPORARY) {
      delete(b.getBlockPoolId(), replica);
    }
  }

  @Override
  public boolean contains(ExtendedBlock block) {
    return pmem(block) != null || stock.contains(block);
  }

  @Override
  public void checkBlock(ExtendedBlock b, long minLength, ReplicaState state)
      throws IOException {
    PmemReplica replica = pmem(b);
    if (replica == null) {
      stock.checkBlock(b, minLength, state);
      return;
    }
    if (replica.getState() != state) {
      throw new UnexpectedReplicaStateException(b, state);
    }
    if (replica.getBytesOnDisk() < minLength) {
      throw new EOFException(b + "'s on-disk length " + replica.getBytesOnDisk()
          + " is shorter than minLength " + minLength);
    }
  }

  @Override
  public boolean isValidBlock(ExtendedBlock b) {
    PmemReplica replica = pmem(b);
    return replica == null ? stock.isValidBlock(b)
        : replica.getState() == ReplicaState.FINALIZED;
  }

  @Override
  public boolean isValidRbw(ExtendedBlock b) {
    PmemReplica replica = pmem(b);
    return replica == null ? stock.isValidRbw(b) : replica.getState() == ReplicaState.RBW;
  }

  @Override
  public void adjustCrcChannelPosition(ExtendedBlock b, ReplicaOutputStreams outs,
      int checksumSize) throws IOException {
    if (outs.getChecksumOut() instanceof ReplicaMetaOutput meta) {
      meta.rewind(checksumSize);
    } else {
      stock.adjustCrcChannelPosition(b, outs, checksumSize);
    }
  }

  @Override
  public long getReplicaVisibleLength(ExtendedBlock block) throws IOException {
    PmemReplica replica = pmem(block);
    if (replica == null) {
      return stock.getReplicaVisibleLength(block);
    }
    if (replica.getGenerationStamp() < block.getGenerationStamp()) {
      throw new IOException("replica.getGenerationStamp() < block.getGenerationStamp(), block="
          + block + ", replica=" + replica);
    }
    return replica.getVisibleLength();
  }

  @Override
  public void invalidate(String bpid, Block[] blocks) throws IOException {
    List<Block> notOurs = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Block block : blocks) {
      PmemReplica replica = replicas.get(bpid, block.getBlockId());
      if (replica == null) {
        notOurs.add(block);
        continue;
      }
      try {
        delete(bpid, replica);
        datanode.notifyNamenodeDeletedBlock(new ExtendedBlock(bpid, block),
            replica.getStorageUuid());
      } catch (IOException e) {
        errors.add(replica + ": " + e.getMessage());
      }
    }
    if (!notOurs.isEmpty()) {
      stock.invalidate(bpid, notOurs.toArray(new Block[0]));
    }
    if (!errors.isEmpty()) {
      throw new IOException("Failed to delete " + errors.size() + " PMEM replicas: " + errors);
    }
  }

  @Override
  public void invalidateMissingBlock(String bpid, Block block) throws IOException {
    if (replicas.get(bpid, block.getBlockId()) == null) {
      stock.invalidateMissingBlock(bpid, block);
    }
  }

  /** Removes a replica and gives its file back to its volume. */
  protected void delete(String bpid, PmemReplica replica) throws IOException {
    if (!replicas.remove(bpid, replica)) {
      return;
    }
    replica.interruptThread();
    PmemVolume volume = volumes.get(replica.getStorageUuid());
    if (volume == null) {
      replica.file().delete();
    } else {
      volume.release(replica);
    }
    LOG.debug("Deleted {}", replica);
  }

  @Override
  public boolean isDeletingBlock(String bpid, long blockId) {
    return replicas.get(bpid, blockId) == null && stock.isDeletingBlock(bpid, blockId);
  }
}
