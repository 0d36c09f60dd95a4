package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PmemReplica;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.ExtendedBlockId;
import org.apache.hadoop.hdfs.protocol.Block;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.BlockMetadataHeader;
import org.apache.hadoop.hdfs.server.datanode.ReplicaAlreadyExistsException;
import org.apache.hadoop.hdfs.server.datanode.ReplicaHandler;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInPipeline;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInfo;
import org.apache.hadoop.hdfs.server.datanode.ReplicaNotFoundException;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeReference;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.LengthInputStream;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.ReplicaOutputStreams;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;
import org.apache.hadoop.hdfs.server.protocol.BlockCommand;
import org.apache.hadoop.io.IOUtils;
import org.apache.hadoop.util.DataChecksum;
import org.apache.hadoop.util.DiskChecker.DiskOutOfSpaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a finalized replica to another volume of the same DataNode: between a PMEM volume and
 * a stock volume in either direction, or between two PMEM volumes. The mover asks for it
 * ({@code replaceBlock} with this node as source, e.g. {@code hdfs mover} after
 * {@code ALL_NVDIMM} or {@code HOT} is set) and so does the disk balancer.
 *
 * <p>Order, so that nothing is lost and the NameNode keeps exactly one location: the copy is
 * written and finalized on the target; the old replica is dropped without a deletion report
 * (the NameNode applies a deletion to the node, not to a storage, so it would drop the new copy
 * as well); then a received report names the new storage, which replaces the old location, as
 * after the stock dataset's own moves. A failed copy leaves the old replica untouched.
 */
final class ReplicaRelocation {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaRelocation.class);
  private static final int COPY_BUFFER = 1 << 20;

  private final FsDatasetSpi<FsVolumeImpl> stock;
  private final PmemReplicas pmem;
  private final BlockPlacement placement;

  /**
   * @param stock the stock dataset
   * @param pmem the PMEM side
   * @param placement which side holds a block
   */
  ReplicaRelocation(FsDatasetSpi<FsVolumeImpl> stock, PmemReplicas pmem,
      BlockPlacement placement) {
    this.stock = stock;
    this.pmem = pmem;
    this.placement = placement;
  }

  /**
   * Moves a replica to a volume of another storage type.
   *
   * @param block the replica, with its expected length
   * @param targetType storage type to move to
   * @param storageId preferred target storage, or null
   * @return the replica as it was before the move
   * @throws IOException if the replica cannot be moved; it is then where it was
   */
  ReplicaInfo moveAcrossStorage(ExtendedBlock block, StorageType targetType, String storageId)
      throws IOException {
    if (placement.pmemReplica(block) == null && targetType != StorageType.NVDIMM) {
      return stock.moveBlockAcrossStorage(block, targetType, storageId);
    }
    ReplicaInfo old = checkMovable(block);
    if (old.getVolume().getStorageType() == targetType) {
      throw new ReplicaAlreadyExistsException("Replica " + old + " already exists on storage "
          + targetType);
    }
    PmemVolume pmemTarget = null;
    if (targetType == StorageType.NVDIMM) {
      pmemTarget = choosePmemVolume(block, storageId);
    }
    move(block, old, pmemTarget, targetType, storageId);
    return old;
  }

  /**
   * Moves a replica to a given volume of the same storage type (the disk balancer's move).
   *
   * @return the replica as it was before the move
   * @throws IOException if the replica cannot be moved; it is then where it was
   */
  ReplicaInfo moveAcrossVolumes(ExtendedBlock block, FsVolumeSpi destination)
      throws IOException {
    PmemVolume pmemTarget = pmem.volumes().get(destination.getStorageID());
    if (placement.pmemReplica(block) == null && pmemTarget == null) {
      return stock.moveBlockAcrossVolumes(block, destination);
    }
    ReplicaInfo old = checkMovable(block);
    if (old.getVolume().getStorageID().equals(destination.getStorageID())) {
      throw new ReplicaAlreadyExistsException("Replica " + old + " is already on "
          + destination);
    }
    move(block, old, pmemTarget, destination.getStorageType(), destination.getStorageID());
    return old;
  }

  /** @return the replica's stock description, if it is finalized and as long as expected */
  private ReplicaInfo checkMovable(ExtendedBlock block) throws IOException {
    ReplicaInfo info = currentInfo(block);
    if (info == null || info.getState() != ReplicaState.FINALIZED) {
      throw new ReplicaNotFoundException(ReplicaNotFoundException.UNFINALIZED_REPLICA + block);
    }
    if (info.getGenerationStamp() != block.getGenerationStamp()
        || info.getNumBytes() != block.getNumBytes()) {
      throw new IOException("Replica " + info + " does not match " + block + " (length "
          + block.getNumBytes() + "); not moving it");
    }
    if (info.isOnTransientStorage()) {
      throw new IOException("Replica " + info + " is on transient storage; lazy persist moves"
          + " it, not the mover");
    }
    return info;
  }

  private PmemVolume choosePmemVolume(ExtendedBlock block, String storageId)
      throws IOException {
    PmemVolume named = storageId == null ? null : pmem.volumes().get(storageId);
    if (named != null) {
      return named;
    }
    List<PmemVolume> candidates = pmem.volumes().candidates();
    if (!candidates.isEmpty()) {
      return candidates.get(0);
    }
    throw new DiskOutOfSpaceException("No PMEM volume is in service to take " + block);
  }

  /** Moves a replica of which the source, the target or both are PMEM. */
  private void move(ExtendedBlock block, ReplicaInfo old, PmemVolume pmemTarget,
      StorageType targetType, String storageId) throws IOException {
    String bpid = block.getBlockPoolId();
    PmemReplica oldPmem = placement.pmemReplica(block);
    byte[] meta = readMeta(block);
    String newStorage;
    if (pmemTarget != null) {
      PmemReplica copy = copyToPmem(block, pmemTarget, meta);
      if (!isUnchanged(block, old)) {
        pmemTarget.release(copy);
        throw changedWhileMoving(old);
      }
      // From here on the block resolves to the copy; the old replica goes silently.
      pmem.map().put(bpid, copy);
      if (oldPmem != null) {
        pmem.release(oldPmem);
      } else {
        dropStockReplicaSilently(block);
      }
      newStorage = copy.getStorageUuid();
    } else {
      // The source is PMEM: while both exist, the block resolves to the PMEM replica.
      newStorage = copyToStock(block, targetType, storageId, meta);
      if (!isUnchanged(block, old)) {
        dropStockReplicaSilently(block);
        throw changedWhileMoving(old);
      }
      pmem.delete(bpid, oldPmem);
    }
    pmem.datanode().getShortCircuitRegistry().processBlockInvalidation(
        ExtendedBlockId.fromExtendedBlock(block));
    pmem.datanode().notifyNamenodeReceivedBlock(block, null, newStorage, false);
    LOG.info("Moved {} from {} ({}) to storage {} ({})", block, old.getVolume(),
        old.getVolume().getStorageType(), newStorage, targetType);
  }

  /** The whole meta data (header and checksums): at most a few MiB for the largest blocks. */
  private byte[] readMeta(ExtendedBlock block) throws IOException {
    try (LengthInputStream in = sourceMeta(block)) {
      byte[] meta = new byte[Math.toIntExact(in.getLength())];
      IOUtils.readFully(in, meta, 0, meta.length);
      return meta;
    }
  }

  private LengthInputStream sourceMeta(ExtendedBlock block) throws IOException {
    return placement.of(block).getMetaDataInputStream(block);
  }

  private InputStream sourceData(ExtendedBlock block) throws IOException {
    return placement.of(block).getBlockInputStream(block, 0);
  }

  private PmemReplica copyToPmem(ExtendedBlock block, PmemVolume target, byte[] meta)
      throws IOException {
    FsVolumeReference ref;
    try {
      ref = target.volume().obtainReference();
    } catch (ClosedChannelException e) {
      throw new IOException("PMEM volume " + target + " is being removed; cannot move "
          + block + " there", e);
    }
    try (ref) {
      PmemReplica copy = target.createReplica(block.getBlockPoolId(), block.getBlockId(),
          block.getGenerationStamp(), ReplicaState.TEMPORARY);
      try {
        writeCopy(block, copy, meta);
        copy.finalizeReplica();
        return copy;
      } catch (IOException | RuntimeException e) {
        target.release(copy);
        throw e;
      }
    }
  }

  /** @return the storage id of the stock copy */
  private String copyToStock(ExtendedBlock block, StorageType targetType, String storageId,
      byte[] meta) throws IOException {
    ReplicaHandler handler = stock.createTemporary(targetType, storageId, block, false);
    try (handler) {
      ReplicaInPipeline copy = handler.getReplica();
      try {
        writeCopy(block, copy, meta);
        stock.finalizeBlock(block, true);
      } catch (IOException | RuntimeException e) {
        stock.unfinalizeBlock(block);
        throw e;
      }
      return copy.getStorageUuid();
    }
  }

  /** Writes the meta data and the data into a new replica, as a block receiver would. */
  private void writeCopy(ExtendedBlock block, ReplicaInPipeline copy, byte[] meta)
      throws IOException {
    DataChecksum checksum = BlockMetadataHeader.readDataChecksum(
        new DataInputStream(new ByteArrayInputStream(meta)), block.toString());
    long length = block.getNumBytes();
    try (ReplicaOutputStreams outs = copy.createStreams(true, checksum);
         InputStream data = sourceData(block)) {
      OutputStream dataOut = outs.getDataOut();
      byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, Math.max(length, 1))];
      long left = length;
      while (left > 0) {
        int n = (int) Math.min(buffer.length, left);
        IOUtils.readFully(data, buffer, 0, n);
        dataOut.write(buffer, 0, n);
        left -= n;
      }
      outs.getChecksumOut().write(meta);
      dataOut.flush();
      outs.getChecksumOut().flush();
      outs.syncDataOut();
      outs.syncChecksumOut();
    }
    int sumSize = checksum.getChecksumSize();
    byte[] last = length == 0 || meta.length < BlockMetadataHeader.getHeaderSize() + sumSize
        ? null : Arrays.copyOfRange(meta, meta.length - sumSize, meta.length);
    copy.setLastChecksumAndDataLen(length, last);
    copy.setNumBytes(length);
    copy.setBytesAcked(length);
  }

  /** @return the stock description of the replica the block resolves to now, or null */
  private ReplicaInfo currentInfo(ExtendedBlock block) {
    PmemReplica replica = placement.pmemReplica(block);
    return replica != null ? replica.getReplicaInfo()
        : (ReplicaInfo) stock.getReplica(block.getBlockPoolId(), block.getBlockId());
  }

  /** An append or recovery that slipped in while copying makes the copy stale. */
  private boolean isUnchanged(ExtendedBlock block, ReplicaInfo old) {
    ReplicaInfo now = currentInfo(block);
    return now != null && now.getState() == ReplicaState.FINALIZED
        && now.getGenerationStamp() == old.getGenerationStamp()
        && now.getNumBytes() == old.getNumBytes();
  }

  private static IOException changedWhileMoving(ReplicaInfo old) {
    return new IOException("Replica " + old + " was appended to or recovered while it was"
        + " being moved; the move is abandoned and the replica stays where it was");
  }

  /**
   * Deletes the stock replica the way the stock dataset deletes replicas the NameNode needs no
   * acknowledgement for: a length of {@link BlockCommand#NO_ACK} tells its deleter not to
   * report the deletion.
   */
  private void dropStockReplicaSilently(ExtendedBlock block) throws IOException {
    Block silent = new Block(block.getBlockId(), BlockCommand.NO_ACK,
        block.getGenerationStamp());
    stock.invalidate(block.getBlockPoolId(), new Block[] {silent});
  }
}
