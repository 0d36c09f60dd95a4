package io.marvel.hdfs.pmem;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hdfs.protocol.Block;
import org.apache.hadoop.hdfs.protocol.BlockLocalPathInfo;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.common.AutoCloseDataSetLock;
import org.apache.hadoop.hdfs.server.common.DataNodeLockManager;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.Replica;
import org.apache.hadoop.hdfs.server.datanode.ReplicaHandler;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInPipeline;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInfo;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi.ScanInfo;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.LengthInputStream;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.ReplicaInputStreams;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.ReplicaOutputStreams;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.MountVolumeMap;
import org.apache.hadoop.hdfs.server.protocol.BlockRecoveryCommand.RecoveringBlock;
import org.apache.hadoop.hdfs.server.protocol.DatanodeStorage;
import org.apache.hadoop.hdfs.server.protocol.ReplicaRecoveryInfo;
import org.apache.hadoop.hdfs.server.protocol.VolumeFailureSummary;
import org.apache.hadoop.metrics2.MetricsCollector;

/**
 * The {@code FsDatasetSpi} calls that need no PMEM-specific work, forwarded and nothing else:
 * a call about one existing block goes to the side {@link BlockPlacement} finds holding it (a
 * PMEM replica or the stock dataset), every other call to the stock HDFS dataset, so that what
 * is not about PMEM stays exactly stock behaviour. {@link PmemDataset} extends it with the calls
 * that concern PMEM as a whole (new replicas, batches, reports, volumes). Thread safety is the
 * delegates'.
 */
abstract class ForwardingDataset implements FsDatasetSpi<FsVolumeImpl> {
  /** The stock dataset: owns every volume, PMEM volumes included, and all non-PMEM replicas. */
  private final FsDatasetSpi<FsVolumeImpl> stock;
  private final BlockPlacement placement;

  /**
   * @param stock the stock dataset
   * @param placement which side holds a block
   */
  ForwardingDataset(FsDatasetSpi<FsVolumeImpl> stock, BlockPlacement placement) {
    this.stock = stock;
    this.placement = placement;
  }

  @Override
  public DatanodeStorage getStorage(String storageUuid) {
    return stock.getStorage(storageUuid);
  }

  @Override
  public FsVolumeImpl getVolume(ExtendedBlock b) {
    return placement.of(b).getVolume(b);
  }

  @Override
  public Map<String, Object> getVolumeInfoMap() {
    return stock.getVolumeInfoMap();
  }

  @Override
  public VolumeFailureSummary getVolumeFailureSummary() {
    return stock.getVolumeFailureSummary();
  }

  @Override
  public List<ReplicaInfo> getFinalizedBlocks(String bpid) {
    return stock.getFinalizedBlocks(bpid);
  }

  @Override
  public void checkAndUpdate(String bpid, ScanInfo info) throws IOException {
    stock.checkAndUpdate(bpid, info);
  }

  @Override
  public LengthInputStream getMetaDataInputStream(ExtendedBlock b) throws IOException {
    return placement.of(b).getMetaDataInputStream(b);
  }

  @Override
  public long getLength(ExtendedBlock b) throws IOException {
    return placement.of(b).getLength(b);
  }

  @Override
  @Deprecated
  public Replica getReplica(String bpid, long blockId) {
    return placement.of(bpid, blockId).getReplica(bpid, blockId);
  }

  @Override
  public String getReplicaString(String bpid, long blockId) {
    return placement.of(bpid, blockId).getReplicaString(bpid, blockId);
  }

  @Override
  public Block getStoredBlock(String bpid, long blkid) throws IOException {
    return placement.of(bpid, blkid).getStoredBlock(bpid, blkid);
  }

  @Override
  public InputStream getBlockInputStream(ExtendedBlock b, long seekOffset) throws IOException {
    return placement.of(b).getBlockInputStream(b, seekOffset);
  }

  @Override
  public ReplicaInputStreams getTmpInputStreams(ExtendedBlock b, long blkoff, long ckoff)
      throws IOException {
    return placement.of(b).getTmpInputStreams(b, blkoff, ckoff);
  }

  @Override
  public ReplicaHandler recoverRbw(ExtendedBlock b, long newGS, long minBytesRcvd,
      long maxBytesRcvd) throws IOException {
    return placement.of(b).recoverRbw(b, newGS, minBytesRcvd, maxBytesRcvd);
  }

  @Override
  public ReplicaInPipeline convertTemporaryToRbw(ExtendedBlock temporary) throws IOException {
    return placement.of(temporary).convertTemporaryToRbw(temporary);
  }

  @Override
  public ReplicaHandler append(ExtendedBlock b, long newGS, long expectedBlockLen)
      throws IOException {
    return placement.of(b).append(b, newGS, expectedBlockLen);
  }

  @Override
  public ReplicaHandler recoverAppend(ExtendedBlock b, long newGS, long expectedBlockLen)
      throws IOException {
    return placement.of(b).recoverAppend(b, newGS, expectedBlockLen);
  }

  @Override
  public Replica recoverClose(ExtendedBlock b, long newGS, long expectedBlockLen)
      throws IOException {
    return placement.of(b).recoverClose(b, newGS, expectedBlockLen);
  }

  @Override
  public void finalizeBlock(ExtendedBlock b, boolean fsyncDir) throws IOException {
    placement.of(b).finalizeBlock(b, fsyncDir);
  }

  @Override
  public void unfinalizeBlock(ExtendedBlock b) throws IOException {
    placement.of(b).unfinalizeBlock(b);
  }

  @Override
  public boolean contains(ExtendedBlock block) {
    return placement.of(block).contains(block);
  }

  @Override
  public void checkBlock(ExtendedBlock b, long minLength, ReplicaState state)
      throws IOException {
    placement.of(b).checkBlock(b, minLength, state);
  }

  @Override
  public boolean isValidBlock(ExtendedBlock b) {
    return placement.of(b).isValidBlock(b);
  }

  @Override
  public boolean isValidRbw(ExtendedBlock b) {
    return placement.of(b).isValidRbw(b);
  }

  @Override
  public void invalidateMissingBlock(String bpid, Block block) throws IOException {
    placement.of(bpid, block.getBlockId()).invalidateMissingBlock(bpid, block);
  }

  @Override
  public boolean isCached(String bpid, long blockId) {
    return placement.of(bpid, blockId).isCached(bpid, blockId);
  }

  @Override
  public boolean hasEnoughResource() {
    return stock.hasEnoughResource();
  }

  @Override
  public long getReplicaVisibleLength(ExtendedBlock block) throws IOException {
    return placement.of(block).getReplicaVisibleLength(block);
  }

  @Override
  public ReplicaRecoveryInfo initReplicaRecovery(RecoveringBlock rBlock) throws IOException {
    return placement.of(rBlock.getBlock()).initReplicaRecovery(rBlock);
  }

  @Override
  public Replica updateReplicaUnderRecovery(ExtendedBlock oldBlock, long recoveryId,
      long newBlockId, long newLength) throws IOException {
    return placement.of(oldBlock).updateReplicaUnderRecovery(oldBlock, recoveryId, newBlockId,
        newLength);
  }

  @Override
  public BlockLocalPathInfo getBlockLocalPathInfo(ExtendedBlock b) throws IOException {
    return placement.of(b).getBlockLocalPathInfo(b);
  }

  @Override
  public void enableTrash(String bpid) {
    stock.enableTrash(bpid);
  }

  @Override
  public void clearTrash(String bpid) {
    stock.clearTrash(bpid);
  }

  @Override
  public boolean trashEnabled(String bpid) {
    return stock.trashEnabled(bpid);
  }

  @Override
  public void setRollingUpgradeMarker(String bpid) throws IOException {
    stock.setRollingUpgradeMarker(bpid);
  }

  @Override
  public void clearRollingUpgradeMarker(String bpid) throws IOException {
    stock.clearRollingUpgradeMarker(bpid);
  }

  @Override
  public void submitBackgroundSyncFileRangeRequest(ExtendedBlock block,
      ReplicaOutputStreams outs, long offset, long nbytes, int flags) {
    stock.submitBackgroundSyncFileRangeRequest(block, outs, offset, nbytes, flags);
  }

  @Override
  public void onCompleteLazyPersist(String bpId, long blockId, long creationTime,
      File[] savedFiles, FsVolumeImpl targetVolume) {
    stock.onCompleteLazyPersist(bpId, blockId, creationTime, savedFiles, targetVolume);
  }

  @Override
  public void onFailLazyPersist(String bpId, long blockId) {
    stock.onFailLazyPersist(bpId, blockId);
  }

  @Override
  public void setPinning(ExtendedBlock block) throws IOException {
    placement.of(block).setPinning(block);
  }

  @Override
  public boolean getPinning(ExtendedBlock block) throws IOException {
    return placement.of(block).getPinning(block);
  }

  @Override
  public boolean isDeletingBlock(String bpid, long blockId) {
    return placement.of(bpid, blockId).isDeletingBlock(bpid, blockId);
  }

  @Override
  public DataNodeLockManager<? extends AutoCloseDataSetLock> acquireDatasetLockManager() {
    return stock.acquireDatasetLockManager();
  }

  @Override
  public MountVolumeMap getMountVolumeMap() throws IOException {
    return stock.getMountVolumeMap();
  }

  @Override
  public List<FsVolumeImpl> getVolumeList() {
    return stock.getVolumeList();
  }

  @Override
  public void setLastDirScannerFinishTime(long time) {
    stock.setLastDirScannerFinishTime(time);
  }

  @Override
  public long getRemaining() throws IOException {
    return stock.getRemaining();
  }

  @Override
  public String getStorageInfo() {
    return stock.getStorageInfo();
  }

  @Override
  public int getNumFailedVolumes() {
    return stock.getNumFailedVolumes();
  }

  @Override
  public String[] getFailedStorageLocations() {
    return stock.getFailedStorageLocations();
  }

  @Override
  public long getLastVolumeFailureDate() {
    return stock.getLastVolumeFailureDate();
  }

  @Override
  public long getEstimatedCapacityLostTotal() {
    return stock.getEstimatedCapacityLostTotal();
  }

  @Override
  public long getNumBlocksFailedToUncache() {
    return stock.getNumBlocksFailedToUncache();
  }

  @Override
  public long getLastDirScannerFinishTime() {
    return stock.getLastDirScannerFinishTime();
  }

  @Override
  public long getPendingAsyncDeletions() {
    return stock.getPendingAsyncDeletions();
  }

  @Override
  public void getMetrics(MetricsCollector collector, boolean all) {
    stock.getMetrics(collector, all);
  }
}
