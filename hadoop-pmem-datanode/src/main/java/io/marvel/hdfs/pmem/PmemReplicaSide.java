package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.BlockArea;
import io.marvel.hdfs.pmem.store.PmemReplica;
import io.marvel.hdfs.pmem.store.ReplicaFileInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.hdfs.protocol.Block;
import org.apache.hadoop.hdfs.protocol.BlockLocalPathInfo;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.Replica;
import org.apache.hadoop.hdfs.server.datanode.ReplicaHandler;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInPipeline;
import org.apache.hadoop.hdfs.server.datanode.UnexpectedReplicaStateException;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeReference;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.LengthInputStream;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.ReplicaInputStreams;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;
import org.apache.hadoop.hdfs.server.protocol.BlockRecoveryCommand.RecoveringBlock;
import org.apache.hadoop.hdfs.server.protocol.ReplicaRecoveryInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls about a block whose replica is in PMEM, answered for that replica: reads from its
 * mapping, state checks, finalizing, and the recovery rules of {@link PmemRecovery}. One
 * object per call, bound to the replica {@link BlockPlacement} found. Thread safety: the
 * replica's own.
 */
final class PmemReplicaSide implements ReplicaSide {
  private static final Logger LOG = LoggerFactory.getLogger(PmemReplicaSide.class);

  private final PmemReplicas pmem;
  private final PmemReplica replica;

  PmemReplicaSide(PmemReplicas pmem, PmemReplica replica) {
    this.pmem = pmem;
    this.replica = replica;
  }

  @Override
  public FsVolumeImpl getVolume(ExtendedBlock b) {
    return (FsVolumeImpl) replica.getVolume();
  }

  /**
   * The meta file as a file stream reading the mapping, so that the DataNode can pass the
   * descriptor to a short-circuit client.
   */
  @Override
  public LengthInputStream getMetaDataInputStream(ExtendedBlock b) throws IOException {
    long length = replica.metaLength();
    return new LengthInputStream(stillCurrent(b,
        ReplicaFileInputStream.meta(replica.file(), length)), length);
  }

  @Override
  public long getLength(ExtendedBlock b) {
    return replica.getBytesOnDisk();
  }

  @Override
  @Deprecated
  public Replica getReplica(String bpid, long blockId) {
    return replica;
  }

  @Override
  public String getReplicaString(String bpid, long blockId) {
    return replica.toString();
  }

  @Override
  public Block getStoredBlock(String bpid, long blockId) {
    return new Block(blockId, replica.getBytesOnDisk(), replica.getGenerationStamp());
  }

  /**
   * The data file as a file stream reading the mapping, whose channel the block sender uses to
   * send from PMEM and whose descriptor the DataNode passes to short-circuit clients.
   */
  @Override
  public InputStream getBlockInputStream(ExtendedBlock b, long seekOffset) throws IOException {
    long end = replica.getBytesOnDisk();
    if (seekOffset > end) {
      throw new EOFException("offset " + seekOffset + " beyond the " + end + " bytes of "
          + replica);
    }
    PmemVolume volume = pmem.volumes().get(replica.getStorageUuid());
    if (volume != null) {
      volume.noteRead();
    }
    return stillCurrent(b, ReplicaFileInputStream.data(replica.file(), seekOffset, end));
  }

  /**
   * Returns {@code in} if the replica is still the replica of {@code b}. Files are opened by
   * path, and a replica deleted meanwhile may have left its path to a new replica of the same
   * block; its descriptor, passed to a short-circuit client, would then read the wrong bytes.
   * A replica's files keep their path while it is in the map, so passing this check after the
   * open proves the descriptor is the replica's.
   */
  private ReplicaFileInputStream stillCurrent(ExtendedBlock b, ReplicaFileInputStream in)
      throws IOException {
    if (pmem.map().get(b.getBlockPoolId(), b.getBlockId()) != replica) {
      in.close();
      throw new IOException("PMEM replica " + replica + " was deleted or replaced while "
          + b + " was opened for reading; read it again");
    }
    return in;
  }

  @Override
  public ReplicaInputStreams getTmpInputStreams(ExtendedBlock b, long blkoff, long ckoff)
      throws IOException {
    FsVolumeReference ref = replica.getVolume().obtainReference();
    long dataEnd = replica.getBytesOnDisk();
    long metaEnd = replica.metaLength();
    return new ReplicaInputStreams(
        BlockArea.DATA.stream(replica.file(), Math.min(blkoff, dataEnd), dataEnd),
        BlockArea.META.stream(replica.file(), Math.min(ckoff, metaEnd), metaEnd),
        ref, replica.getVolume().getFileIoProvider());
  }

  @Override
  public ReplicaInPipeline convertTemporaryToRbw(ExtendedBlock temporary) throws IOException {
    if (replica.getState() != ReplicaState.TEMPORARY) {
      throw new UnexpectedReplicaStateException(temporary, ReplicaState.TEMPORARY);
    }
    replica.convertToRbw();
    return replica;
  }

  /**
   * {@code fsyncDir} asks for nothing more: finalizing renames nothing, and the replica's
   * directory entry was made durable when it was created.
   */
  @Override
  public void finalizeBlock(ExtendedBlock b, boolean fsyncDir) throws IOException {
    if (Thread.interrupted()) {
      throw new IOException("Cannot finalize " + b + " from an interrupted thread");
    }
    if (replica.getState() != ReplicaState.FINALIZED) {
      replica.finalizeReplica();
    }
  }

  @Override
  public void unfinalizeBlock(ExtendedBlock b) throws IOException {
    if (replica.getState() == ReplicaState.TEMPORARY) {
      pmem.delete(b.getBlockPoolId(), replica);
    }
  }

  @Override
  public boolean contains(ExtendedBlock b) {
    return true;
  }

  @Override
  public void checkBlock(ExtendedBlock b, long minLength, ReplicaState state)
      throws IOException {
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
    return replica.getState() == ReplicaState.FINALIZED;
  }

  @Override
  public boolean isValidRbw(ExtendedBlock b) {
    return replica.getState() == ReplicaState.RBW;
  }

  @Override
  public long getReplicaVisibleLength(ExtendedBlock b) throws IOException {
    if (replica.getGenerationStamp() < b.getGenerationStamp()) {
      throw new IOException("replica.getGenerationStamp() < block.getGenerationStamp(), block="
          + b + ", replica=" + replica);
    }
    return replica.getVisibleLength();
  }

  @Override
  public ReplicaHandler recoverRbw(ExtendedBlock b, long newGS, long minBytesRcvd,
      long maxBytesRcvd) throws IOException {
    PmemRecovery.recoverRbw(replica, b, newGS, minBytesRcvd, maxBytesRcvd, pmem.stopTimeout());
    return new ReplicaHandler(replica, replica.getVolume().obtainReference());
  }

  @Override
  public ReplicaHandler append(ExtendedBlock b, long newGS, long expectedBlockLen)
      throws IOException {
    PmemRecovery.append(replica, b, newGS, expectedBlockLen);
    return new ReplicaHandler(replica, replica.getVolume().obtainReference());
  }

  @Override
  public ReplicaHandler recoverAppend(ExtendedBlock b, long newGS, long expectedBlockLen)
      throws IOException {
    PmemRecovery.recoverAppend(replica, b, newGS, expectedBlockLen, pmem.stopTimeout());
    return new ReplicaHandler(replica, replica.getVolume().obtainReference());
  }

  @Override
  public Replica recoverClose(ExtendedBlock b, long newGS, long expectedBlockLen)
      throws IOException {
    PmemRecovery.recoverClose(replica, b, newGS, expectedBlockLen, pmem.stopTimeout());
    return replica;
  }

  @Override
  public ReplicaRecoveryInfo initReplicaRecovery(RecoveringBlock rBlock) throws IOException {
    LOG.info("initReplicaRecovery: {}, recoveryId={}, replica={}", rBlock.getBlock(),
        rBlock.getNewGenerationStamp(), replica);
    return PmemRecovery.init(replica, rBlock.getBlock(), rBlock.getNewGenerationStamp(),
        pmem.stopTimeout());
  }

  @Override
  public Replica updateReplicaUnderRecovery(ExtendedBlock oldBlock, long recoveryId,
      long newBlockId, long newLength) throws IOException {
    PmemRecovery.update(replica, oldBlock, recoveryId, newBlockId, newLength);
    LOG.info("updateReplicaUnderRecovery: {} is now {}", oldBlock, replica);
    return replica;
  }

  /**
   * For a finalized replica: its data and meta file, which a legacy short-circuit client opens
   * and reads like the stock block and meta files (data from offset 0, the stock meta format).
   * A replica still being written is refused: its data file has the block capacity, not the
   * replica's length, and a client reading it to its end would take the tail for corruption.
   * (HDFS clients never ask for blocks of files under construction.)
   */
  @Override
  public BlockLocalPathInfo getBlockLocalPathInfo(ExtendedBlock b) throws IOException {
    if (replica.getState() != ReplicaState.FINALIZED) {
      throw new IOException("PMEM replica " + replica + " is not finalized; short-circuit reads"
          + " need a finalized replica, read it through the DataNode");
    }
    long stamp = replica.getGenerationStamp();
    if (stamp < b.getGenerationStamp()) {
      throw new IOException("PMEM replica " + replica + " has an older generation stamp than "
          + b + "; no short-circuit read of it");
    }
    // As the stock dataset: the client learns the replica's newer stamp through the block.
    b.setGenerationStamp(stamp);
    return new BlockLocalPathInfo(b, replica.file().path().toString(),
        replica.file().metaPath().toString());
  }

  @Override
  public boolean getPinning(ExtendedBlock b) {
    return false;
  }

  @Override
  public void setPinning(ExtendedBlock b) throws IOException {
    throw new IOException("Block pinning (dfs.datanode.block-pinning.enabled) is not "
        + "supported for PMEM replica " + replica);
  }

  /**
   * Always false: the DataNode asks this to decide whether a short-circuit client may skip
   * checksums ("anchorable"), which the stock cache allows only after it has verified the
   * replica while caching it; caching a PMEM replica verifies nothing.
   */
  @Override
  public boolean isCached(String bpid, long blockId) {
    return false;
  }

  @Override
  public boolean isDeletingBlock(String bpid, long blockId) {
    return false;
  }

  /** Nothing to do: the replica is here. */
  @Override
  public void invalidateMissingBlock(String bpid, Block block) {
  }
}
