package io.marvel.hdfs.pmem;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.protocol.Block;
import org.apache.hadoop.hdfs.protocol.BlockListAsLongs;
import org.apache.hadoop.hdfs.protocol.BlockLocalPathInfo;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.common.AutoCloseDataSetLock;
import org.apache.hadoop.hdfs.server.common.DataNodeLockManager;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.Replica;
import org.apache.hadoop.hdfs.server.datanode.ReplicaHandler;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInPipeline;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInfo;
import org.apache.hadoop.hdfs.server.datanode.StorageLocation;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi.ScanInfo;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.LengthInputStream;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.ReplicaInputStreams;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.ReplicaOutputStreams;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.MountVolumeMap;
import org.apache.hadoop.hdfs.server.protocol.BlockRecoveryCommand.RecoveringBlock;
import org.apache.hadoop.hdfs.server.protocol.DatanodeStorage;
import org.apache.hadoop.hdfs.server.protocol.NamespaceInfo;
import org.apache.hadoop.hdfs.server.protocol.ReplicaRecoveryInfo;
import org.apache.hadoop.hdfs.server.protocol.StorageReport;
import org.apache.hadoop.hdfs.server.protocol.VolumeFailureSummary;
import org.apache.hadoop.metrics2.MetricsCollector;

/**
 * A dataset that forwards every call to the stock HDFS dataset. {@link PmemDataset} extends it
 * and overrides the calls that concern PMEM replicas, so that what is not about PMEM stays
 * exactly stock behaviour. Thread safety is the delegate's.
 */
abstract class ForwardingDataset implements FsDatasetSpi<FsVolumeImpl> {
  /** The stock dataset: owns every volume, PMEM volumes included, and all non-PMEM replicas. */
  protected final FsDatasetSpi<FsVolumeImpl> stock;

  ForwardingDataset(FsDatasetSpi<FsVolumeImpl> stock) {
    this.stock = stock;
  }

  @Override
  public FsVolumeReferences getFsVolumeReferences() {
    return stock.getFsVolumeReferences();
  }

  @Override
  public void addVolume(StorageLocation location, List<NamespaceInfo> nsInfos)
      throws IOException {
    stock.addVolume(location, nsInfos);
  }

  @Override
  public void removeVolumes(Collection<StorageLocation> volumes, boolean clearFailure) {
    stock.removeVolumes(volumes, clearFailure);
  }

  @Override
  public DatanodeStorage getStorage(String storageUuid) {
    return stock.getStorage(storageUuid);
  }

  @Override
  public StorageReport[] getStorageReports(String bpid) throws IOException {
    return stock.getStorageReports(bpid);
  }

  @Override
  public FsVolumeImpl getVolume(ExtendedBlock b) {
    return stock.getVolume(b);
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
  public Block getStoredBlock(String bpid, long blkid) throws IOException {
    return stock.getStoredBlock(bpid, blkid);
  }

  @Override
  public InputStream getBlockInputStream(ExtendedBlock b, long seekOffset) throws IOException {
    return stock.getBlockInputStream(b, seekOffset);
  }

  @Override
  public ReplicaInputStreams getTmpInputStreams(ExtendedBlock b, long blkoff, long ckoff)
      throws IOException {
    return stock.getTmpInputStreams(b, blkoff, ckoff);
  }

  @Override
  public ReplicaHandler createTemporary(StorageType storageType, String storageId,
      ExtendedBlock b, boolean isTransfer) throws IOException {
    return stock.createTemporary(storageType, storageId, b, isTransfer);
  }

  @Override
  public ReplicaHandler createRbw(StorageType storageType, String storageId, ExtendedBlock b,
      boolean allowLazyPersist) throws IOException {
    return stock.createRbw(storageType, storageId, b, allowLazyPersist);
  }

  @Override
  public ReplicaHandler createRbw(StorageType storageType, String storageId, ExtendedBlock b,
      boolean allowLazyPersist, long newGS) throws IOException {
    return stock.createRbw(storageType, storageId, b, allowLazyPersist, newGS);
  }

  @Override
  public ReplicaHandler recoverRbw(ExtendedBlock b, long newGS, long minBytesRcvd,
      long maxBytesRcvd) throws IOException {
    return stock.recoverRbw(b, newGS, minBytesRcvd, maxBytesRcvd);
  }

  @Override
  public ReplicaInPipeline convertTemporaryToRbw(ExtendedBlock temporary) throws IOException {
    return stock.convertTemporaryToRbw(temporary);
  }

  @Override
  public ReplicaHandler append(ExtendedBlock b, long newGS, long expectedBlockLen)
      throws IOException {
    return stock.append(b, newGS, expectedBlockLen);
  }

  @Override
  public ReplicaHandler recoverAppend(ExtendedBlock b, long newGS, long expectedBlockLen)
      throws IOException {
    return stock.recoverAppend(b, newGS, expectedBlockLen);
  }

  @Override
  public Replica recoverClose(ExtendedBlock b, long newGS, long expectedBlockLen)
      throws IOException {
    return stock.recoverClose(b, newGS, expectedBlockLen);
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
  public Map<DatanodeStorage, BlockListAsLongs> getBlockReports(String bpid) {
    return stock.getBlockReports(bpid);
  }

  @Override
  public List<Long> getCacheReport(String bpid) {
    return stock.getCacheReport(bpid);
  }

  @Override
  public boolean contains(ExtendedBlock block) {
    return stock.contains(block);
  }

  @Override
  public void checkBlock(ExtendedBlock b, long minLength, ReplicaState state)
      throws IOException {
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
  public void invalidate(String bpid, Block[] invalidBlks) throws IOException {
    stock.invalidate(bpid, invalidBlks);
  }

  @Override
  public void invalidateMissingBlock(String bpid, Block block) throws IOException {
    stock.invalidateMissingBlock(bpid, block);
  }

  @Override
  public void cache(String bpid, long[] blockIds) {
    stock.cache(bpid, blockIds);
  }

  @Override
  public void uncache(String bpid, long[] blockIds) {
    stock.uncache(bpid, blockIds);
  }

  @Override
  public boolean isCached(String bpid, long blockId) {
    return stock.isCached(bpid, blockId);
  }

  @Override
  public void handleVolumeFailures(Set<FsVolumeSpi> failedVolumes) {
    stock.handleVolumeFailures(failedVolumes);
  }

  @Override
  public void shutdown() {
    stock.shutdown();
  }

  @Override
  public void adjustCrcChannelPosition(ExtendedBlock b, ReplicaOutputStreams outs,
      int checksumSize) throws IOException {
    stock.adjustCrcChannelPosition(b, outs, checksumSize);
  }

  @Override
  public boolean hasEnoughResource() {
    return stock.hasEnoughResource();
  }

  @Override
  public long getReplicaVisibleLength(ExtendedBlock block) throws IOException {
    return stock.getReplicaVisibleLength(block);
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
  public void addBlockPool(String bpid, Configuration conf) throws IOException {
    stock.addBlockPool(bpid, conf);
  }

  @Override
  public void shutdownBlockPool(String bpid) {
    stock.shutdownBlockPool(bpid);
  }

  @Override
  public void deleteBlockPool(String bpid, boolean force) throws IOException {
    stock.deleteBlockPool(bpid, force);
  }

  @Override
  public BlockLocalPathInfo getBlockLocalPathInfo(ExtendedBlock b) throws IOException {
    return stock.getBlockLocalPathInfo(b);
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
  public ReplicaInfo moveBlockAcrossStorage(ExtendedBlock block, StorageType targetStorageType,
      String storageId) throws IOException {
    return stock.moveBlockAcrossStorage(block, targetStorageType, storageId);
  }

  @Override
  public void setPinning(ExtendedBlock block) throws IOException {
    stock.setPinning(block);
  }

  @Override
  public boolean getPinning(ExtendedBlock block) throws IOException {
    return stock.getPinning(block);
  }

  @Override
  public boolean isDeletingBlock(String bpid, long blockId) {
    return stock.isDeletingBlock(bpid, blockId);
  }

  @Override
  public ReplicaInfo moveBlockAcrossVolumes(ExtendedBlock block, FsVolumeSpi destination)
      throws IOException {
    return stock.moveBlockAcrossVolumes(block, destination);
  }

  @Override
  public DataNodeLockManager<? extends AutoCloseDataSetLock> acquireDatasetLockManager() {
    return stock.acquireDatasetLockManager();
  }

  @Override
  public Set<? extends Replica> deepCopyReplica(String bpid) throws IOException {
    return stock.deepCopyReplica(bpid);
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
  public long getBlockPoolUsed(String bpid) throws IOException {
    return stock.getBlockPoolUsed(bpid);
  }

  @Override
  public long getDfsUsed() throws IOException {
    return stock.getDfsUsed();
  }

  @Override
  public long getCapacity() throws IOException {
    return stock.getCapacity();
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
  public long getCacheUsed() {
    return stock.getCacheUsed();
  }

  @Override
  public long getCacheCapacity() {
    return stock.getCacheCapacity();
  }

  @Override
  public long getNumBlocksCached() {
    return stock.getNumBlocksCached();
  }

  @Override
  public long getNumBlocksFailedToCache() {
    return stock.getNumBlocksFailedToCache();
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
