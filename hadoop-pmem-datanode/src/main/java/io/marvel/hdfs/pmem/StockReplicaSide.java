package io.marvel.hdfs.pmem;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.hdfs.protocol.Block;
import org.apache.hadoop.hdfs.protocol.BlockLocalPathInfo;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.Replica;
import org.apache.hadoop.hdfs.server.datanode.ReplicaHandler;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInPipeline;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.LengthInputStream;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.ReplicaInputStreams;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;
import org.apache.hadoop.hdfs.server.protocol.BlockRecoveryCommand.RecoveringBlock;
import org.apache.hadoop.hdfs.server.protocol.ReplicaRecoveryInfo;

/**
 * The side of blocks without a PMEM replica: every call goes to the stock dataset unchanged.
 * Thread safety is the stock dataset's.
 */
final class StockReplicaSide implements ReplicaSide {
  private final FsDatasetSpi<FsVolumeImpl> stock;

  StockReplicaSide(FsDatasetSpi<FsVolumeImpl> stock) {
    this.stock = stock;
  }

  @Override
  public FsVolumeImpl getVolume(ExtendedBlock b) {
    return stock.getVolume(b);
  }

  @Override
  public LengthInputStream getMetaDataInputStream(ExtendedBlock b) throws IOException {
    return stock.getMetaDataInputStream(b);
  }

  @Override
  public long getLength(ExtendedBlock b) throws IOException {
    return stock.getLength(b);
  }

  @Override
  @Deprecated
  public Replica getReplica(String bpid, long blockId) {
    return stock.getReplica(bpid, blockId);
  }

  @Override
  public String getReplicaString(String bpid, long blockId) {
    return stock.getReplicaString(bpid, blockId);
  }

  @Override
  public Block getStoredBlock(String bpid, long blockId) throws IOException {
    return stock.getStoredBlock(bpid, blockId);
  }

  @Override
  public InputStream getBlockInputStream(ExtendedBlock b, long seekOffset) throws IOException {
    return stock.getBlockInputStream(b, seekOffset);
  }

  @Override
  public ReplicaInputStreams getTmpInputStreams(ExtendedBlock b, long blkoff,
      long ckoff) throws IOException {
    return stock.getTmpInputStreams(b, blkoff, ckoff);
  }

  @Override
  public ReplicaInPipeline convertTemporaryToRbw(ExtendedBlock temporary) throws IOException {
    return stock.convertTemporaryToRbw(temporary);
  }

  @Override
  public void finalizeBlock(ExtendedBlock b, boolean fsyncDir) throws IOException {
    stock.finalizeBlock(b, fsyncDir);
  }

  @Override
  public void unfinalizeBlock(ExtendedBlock b) throws IOException {
    stock.unfinalizeBlock(b);
  }

  @Override
  public boolean contains(ExtendedBlock b) {
    return stock.contains(b);
  }

  @Override
  public void checkBlock(ExtendedBlock b, long minLength, ReplicaState state) throws IOException {
    stock.checkBlock(b, minLength, state);
  }

  @Override
  public boolean isValidBlock(ExtendedBlock b) {
    return stock.isValidBlock(b);
  }

  @Override
  public boolean isValidRbw(ExtendedBlock b) {
    return stock.isValidRbw(b);
  }

  @Override
  public long getReplicaVisibleLength(ExtendedBlock b) throws IOException {
    return stock.getReplicaVisibleLength(b);
  }

  @Override
  public ReplicaHandler recoverRbw(ExtendedBlock b, long newGS, long minBytesRcvd,
      long maxBytesRcvd) throws IOException {
    return stock.recoverRbw(b, newGS, minBytesRcvd, maxBytesRcvd);
  }

  @Override
  public ReplicaHandler append(ExtendedBlock b, long newGS,
      long expectedBlockLen) throws IOException {
    return stock.append(b, newGS, expectedBlockLen);
  }

  @Override
  public ReplicaHandler recoverAppend(ExtendedBlock b, long newGS,
      long expectedBlockLen) throws IOException {
    return stock.recoverAppend(b, newGS, expectedBlockLen);
  }

  @Override
  public Replica recoverClose(ExtendedBlock b, long newGS,
      long expectedBlockLen) throws IOException {
    return stock.recoverClose(b, newGS, expectedBlockLen);
  }

  @Override
  public ReplicaRecoveryInfo initReplicaRecovery(RecoveringBlock rBlock) throws IOException {
    return stock.initReplicaRecovery(rBlock);
  }

  @Override
  public Replica updateReplicaUnderRecovery(ExtendedBlock oldBlock, long recoveryId,
      long newBlockId, long newLength) throws IOException {
    return stock.updateReplicaUnderRecovery(oldBlock, recoveryId, newBlockId, newLength);
  }

  @Override
  public BlockLocalPathInfo getBlockLocalPathInfo(ExtendedBlock b) throws IOException {
    return stock.getBlockLocalPathInfo(b);
  }

  @Override
  public boolean getPinning(ExtendedBlock b) throws IOException {
    return stock.getPinning(b);
  }

  @Override
  public void setPinning(ExtendedBlock b) throws IOException {
    stock.setPinning(b);
  }

  @Override
  public boolean isCached(String bpid, long blockId) {
    return stock.isCached(bpid, blockId);
  }

  @Override
  public boolean isDeletingBlock(String bpid, long blockId) {
    return stock.isDeletingBlock(bpid, blockId);
  }

  @Override
  public void invalidateMissingBlock(String bpid, Block block) throws IOException {
    stock.invalidateMissingBlock(bpid, block);
  }
}
