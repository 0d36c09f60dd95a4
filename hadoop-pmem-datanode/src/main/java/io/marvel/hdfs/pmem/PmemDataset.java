package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PmemReplica;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MalformedObjectNameException;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.apache.hadoop.classification.InterfaceAudience;
import org.apache.hadoop.classification.InterfaceStability;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.protocol.BlockListAsLongs;
import org.apache.hadoop.hdfs.protocol.BlockLocalPathInfo;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.Replica;
import org.apache.hadoop.hdfs.server.datanode.ReplicaHandler;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInfo;
import org.apache.hadoop.hdfs.server.datanode.StorageLocation;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;
import org.apache.hadoop.hdfs.server.datanode.metrics.FSDatasetMBean;
import org.apache.hadoop.hdfs.server.protocol.BlockRecoveryCommand.RecoveringBlock;
import org.apache.hadoop.hdfs.server.protocol.DatanodeStorage;
import org.apache.hadoop.hdfs.server.protocol.NamespaceInfo;
import org.apache.hadoop.hdfs.server.protocol.ReplicaRecoveryInfo;
import org.apache.hadoop.hdfs.server.protocol.StorageReport;
import org.apache.hadoop.metrics2.util.MBeans;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DataNode's dataset when {@link PmemDatasetFactory} is configured: replicas on
 * {@code [NVDIMM]} volumes live in PMEM block files, everything else is the stock dataset's.
 * Volumes, storage ids, health checks and failure accounting stay with the stock dataset, which
 * keeps owning the [NVDIMM] volume objects; this class adds PMEM replicas to block and storage
 * reports, recovers them, and drops them with their volume when it fails.
 *
 * <p>Thread safety: as the stock dataset; PMEM replicas synchronize on themselves.
 */
@InterfaceAudience.Private
@InterfaceStability.Unstable
public final class PmemDataset extends PmemCachingDataset {
  private static final Logger LOG = LoggerFactory.getLogger(PmemDataset.class);

  private final AtomicReference<PmemScanner> scanner = new AtomicReference<>();
  private final DuplicateReplicas duplicates;
  private final PmemVolumeViews views;

  /**
   * @param deleteDuplicates {@code dfs.datanode.duplicate.replica.deletion}: whether a block
   *     found both in PMEM and in the stock dataset loses one of its replicas
   */
  PmemDataset(FsDatasetSpi<FsVolumeImpl> stock, DataNode datanode, PmemVolumes volumes,
      boolean deleteDuplicates) {
    super(stock, datanode, volumes);
    this.duplicates = new DuplicateReplicas(this, deleteDuplicates);
    this.views = new PmemVolumeViews(volumes, replicas, this);
  }

  /** PMEM volumes as {@link PmemVolumeView}s, whose block iterators find PMEM replicas. */
  @Override
  public FsVolumeReferences getFsVolumeReferences() {
    return views.references(stock.getVolumeList());
  }

  /**
   * Starts the background scan of PMEM replicas (a thread, unless the settings disable it);
   * {@link #shutdown()} stops it.
   */
  void startScanner(ScannerSettings settings) {
    PmemScanner created = new PmemScanner(settings, replicas, datanode::reportBadBlocks);
    if (!scanner.compareAndSet(null, created)) {
      throw new IllegalStateException("the PMEM replica scanner was started already");
    }
    created.start();
  }

  private long stopTimeout() {
    return datanode.getDnConf().getXceiverStopTimeout();
  }

  @Override
  public ReplicaHandler recoverRbw(ExtendedBlock b, long newGS, long minBytesRcvd,
      long maxBytesRcvd) throws IOException {
    PmemReplica replica = pmem(b);
    if (replica == null) {
      return stock.recoverRbw(b, newGS, minBytesRcvd, maxBytesRcvd);
    }
    PmemRecovery.recoverRbw(replica, b, newGS, minBytesRcvd, maxBytesRcvd, stopTimeout());
    return new ReplicaHandler(replica, replica.getVolume().obtainReference());
  }

  @Override
  public ReplicaHandler append(ExtendedBlock b, long newGS, long expectedBlockLen)
      throws IOException {
    PmemReplica replica = pmem(b);
    if (replica == null) {
      return stock.append(b, newGS, expectedBlockLen);
    }
    PmemRecovery.append(replica, b, newGS, expectedBlockLen);
    return new ReplicaHandler(replica, replica.getVolume().obtainReference());
  }

  @Override
  public ReplicaHandler recoverAppend(ExtendedBlock b, long newGS, long expectedBlockLen)
      throws IOException {
    PmemReplica replica = pmem(b);
    if (replica == null) {
      return stock.recoverAppend(b, newGS, expectedBlockLen);
    }
    PmemRecovery.recoverAppend(replica, b, newGS, expectedBlockLen, stopTimeout());
    return new ReplicaHandler(replica, replica.getVolume().obtainReference());
  }

  @Override
  public Replica recoverClose(ExtendedBlock b, long newGS, long expectedBlockLen)
      throws IOException {
    PmemReplica replica = pmem(b);
    if (replica == null) {
      return stock.recoverClose(b, newGS, expectedBlockLen);
    }
    PmemRecovery.recoverClose(replica, b, newGS, expectedBlockLen, stopTimeout());
    return replica;
  }

  @Override
  public ReplicaRecoveryInfo initReplicaRecovery(RecoveringBlock rBlock) throws IOException {
    PmemReplica replica = pmem(rBlock.getBlock());
    if (replica == null) {
      return stock.initReplicaRecovery(rBlock);
    }
    LOG.info("initReplicaRecovery: {}, recoveryId={}, replica={}", rBlock.getBlock(),
        rBlock.getNewGenerationStamp(), replica);
    return PmemRecovery.init(replica, rBlock.getBlock(), rBlock.getNewGenerationStamp(),
        stopTimeout());
  }

  @Override
  public Replica updateReplicaUnderRecovery(ExtendedBlock oldBlock, long recoveryId,
      long newBlockId, long newLength) throws IOException {
    PmemReplica replica = pmem(oldBlock);
    if (replica == null) {
      return stock.updateReplicaUnderRecovery(oldBlock, recoveryId, newBlockId, newLength);
    }
    PmemRecovery.update(replica, oldBlock, recoveryId, newBlockId, newLength);
    LOG.info("updateReplicaUnderRecovery: {} is now {}", oldBlock, replica);
    return replica;
  }

  @Override
  public Map<DatanodeStorage, BlockListAsLongs> getBlockReports(String bpid) {
    return PmemReports.blockReports(stock.getBlockReports(bpid), replicas.replicas(bpid));
  }

  @Override
  public StorageReport[] getStorageReports(String bpid) throws IOException {
    Map<String, Long> used = new HashMap<>();
    Map<String, Long> reserved = new HashMap<>();
    for (PmemVolume volume : volumes.all()) {
      reserved.put(volume.storageId(), volume.preparedBytes());
    }
    for (PmemReplica replica : replicas.replicas(bpid)) {
      used.merge(replica.getStorageUuid(), replica.file().bytesOnVolume(), Long::sum);
    }
    return PmemReports.storageReports(stock.getStorageReports(bpid), used, reserved);
  }

  /** Prepared block files are reserved space, not DFS usage: see PmemReports. */
  @Override
  public long getDfsUsed() throws IOException {
    long used = stock.getDfsUsed();
    for (String bpid : replicas.blockPools()) {
      used += getBlockPoolUsedByPmem(bpid);
    }
    return used;
  }

  @Override
  public long getCapacity() throws IOException {
    long capacity = stock.getCapacity();
    for (PmemVolume volume : volumes.all()) {
      capacity -= volume.preparedBytes();
    }
    return Math.max(0, capacity);
  }

  @Override
  public long getBlockPoolUsed(String bpid) throws IOException {
    return stock.getBlockPoolUsed(bpid) + getBlockPoolUsedByPmem(bpid);
  }

  private long getBlockPoolUsedByPmem(String bpid) {
    long used = 0;
    for (PmemReplica replica : replicas.replicas(bpid)) {
      used += replica.file().bytesOnVolume();
    }
    return used;
  }

  @Override
  public Set<? extends Replica> deepCopyReplica(String bpid) throws IOException {
    Set<Replica> all = new HashSet<>(stock.deepCopyReplica(bpid));
    for (PmemReplica replica : replicas.replicas(bpid)) {
      all.add(PmemReports.ReportedReplica.of(replica) == null ? replica
          : PmemReports.ReportedReplica.of(replica));
    }
    return all;
  }

  @Override
  public void addBlockPool(String bpid, Configuration conf) throws IOException {
    stock.addBlockPool(bpid, conf);
    Set<FsVolumeSpi> failed = new HashSet<>();
    for (PmemVolume volume : volumes.all()) {
      try {
        for (PmemReplica replica : volume.loadBlockPool(bpid)) {
          replicas.put(bpid, replica);
        }
      } catch (IOException e) {
        LOG.error("Loading block pool {} from {} failed; the volume is taken out of service",
            bpid, volume, e);
        failed.add(volume.volume());
      }
    }
    if (!failed.isEmpty()) {
      handleVolumeFailures(failed);
    }
    duplicates.resolve(bpid, replicas.replicas(bpid));
  }

  @Override
  public void shutdownBlockPool(String bpid) {
    closeFiles(replicas.removePool(bpid));
    stock.shutdownBlockPool(bpid);
  }

  @Override
  public void deleteBlockPool(String bpid, boolean force) throws IOException {
    if (!force && !replicas.replicas(bpid).isEmpty()) {
      throw new IOException("Block pool " + bpid + " still has PMEM replicas; not deleting");
    }
    stock.deleteBlockPool(bpid, force);
    closeFiles(replicas.removePool(bpid));
    for (PmemVolume volume : volumes.all()) {
      volume.deleteBlockPool(bpid);
    }
  }

  @Override
  public void addVolume(StorageLocation location, List<NamespaceInfo> nsInfos)
      throws IOException {
    stock.addVolume(location, nsInfos);
    for (FsVolumeImpl volume : stock.getVolumeList()) {
      if (!volume.getStorageLocation().equals(location)) {
        continue;
      }
      if (location.getStorageType() != StorageType.NVDIMM) {
        for (NamespaceInfo ns : nsInfos) {
          duplicates.resolveStockVolume(ns.getBlockPoolID(), volume.getStorageID());
        }
        continue;
      }
      PmemVolume pmem = PmemVolumeProbe.open(volume, PmemSettings.from(datanode.getConf()),
          volumes.durability());
      volumes.add(pmem);
      for (NamespaceInfo ns : nsInfos) {
        List<PmemReplica> loaded = pmem.loadBlockPool(ns.getBlockPoolID());
        for (PmemReplica replica : loaded) {
          replicas.put(ns.getBlockPoolID(), replica);
        }
        duplicates.resolve(ns.getBlockPoolID(), loaded);
      }
    }
  }

  @Override
  public void removeVolumes(Collection<StorageLocation> locations, boolean clearFailure) {
    Set<String> ids = new HashSet<>();
    for (PmemVolume volume : volumes.all()) {
      if (locations.contains(volume.volume().getStorageLocation())) {
        ids.add(volume.storageId());
      }
    }
    dropVolumes(ids);
    stock.removeVolumes(locations, clearFailure);
  }

  @Override
  public void handleVolumeFailures(Set<FsVolumeSpi> failedVolumes) {
    Set<String> ids = new HashSet<>();
    for (FsVolumeSpi volume : failedVolumes) {
      ids.add(volume.getStorageID());
    }
    dropVolumes(ids);
    stock.handleVolumeFailures(PmemVolumeView.unwrap(failedVolumes));
  }

  /** Forgets the replicas of volumes leaving service and closes them; files stay. */
  private void dropVolumes(Set<String> storageIds) {
    if (storageIds.isEmpty()) {
      return;
    }
    List<PmemReplica> dropped = replicas.removeIf(r -> storageIds.contains(r.getStorageUuid()));
    closeFiles(dropped);
    for (PmemVolume volume : volumes.remove(storageIds)) {
      LOG.warn("{} left service with {} PMEM replicas", volume, dropped.size());
    }
  }

  @Override
  public void shutdown() {
    PmemScanner running = scanner.get();
    if (running != null) {
      running.close();
    }
    List<PmemReplica> all = replicas.removeIf(r -> true);
    closeFiles(all);
    volumes.close();
    stock.shutdown();
  }

  private static void closeFiles(List<PmemReplica> list) {
    for (PmemReplica replica : list) {
      replica.interruptThread();
      try {
        replica.file().close();
      } catch (IOException e) {
        LOG.warn("Unmapping {} failed", replica, e);
      }
    }
  }

  /**
   * For a finalized PMEM replica: its data and meta file, which a legacy short-circuit client
   * opens and reads like the stock block and meta files (data from offset 0, the stock meta
   * format). A replica still being written is refused: its data file has the block capacity, not
   * the replica's length, and a client reading it to its end would take the tail for corruption.
   * (HDFS clients never ask for blocks of files under construction.)
   */
  @Override
  public BlockLocalPathInfo getBlockLocalPathInfo(ExtendedBlock b) throws IOException {
    PmemReplica replica = pmem(b);
    if (replica == null) {
      return stock.getBlockLocalPathInfo(b);
    }
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
  public boolean getPinning(ExtendedBlock block) throws IOException {
    return pmem(block) == null && stock.getPinning(block);
  }

  @Override
  public void setPinning(ExtendedBlock block) throws IOException {
    if (pmem(block) != null) {
      throw new IOException("Block pinning (dfs.datanode.block-pinning.enabled) is not "
          + "supported for PMEM replica " + pmem(block));
    }
    stock.setPinning(block);
  }

  /** Moves between PMEM and other storage of this node too: see {@link ReplicaRelocation}. */
  @Override
  public ReplicaInfo moveBlockAcrossStorage(ExtendedBlock block, StorageType targetStorageType,
      String storageId) throws IOException {
    return new ReplicaRelocation(this).moveAcrossStorage(block, targetStorageType, storageId);
  }

  @Override
  public ReplicaInfo moveBlockAcrossVolumes(ExtendedBlock block, FsVolumeSpi destination)
      throws IOException {
    return new ReplicaRelocation(this).moveAcrossVolumes(block,
        PmemVolumeView.unwrap(destination));
  }

  /**
   * Takes over the DataNode's FSDatasetState MBean, which the stock dataset registered for
   * itself, so that JMX capacity and usage include PMEM block files. The stock dataset
   * unregisters the name again when it shuts down.
   */
  void replaceDatasetMBean() {
    String name = "FSDatasetState-" + datanode.getDatanodeUuid();
    try {
      ObjectName stockBean = new ObjectName("Hadoop:service=DataNode,name=" + name);
      if (ManagementFactory.getPlatformMBeanServer().isRegistered(stockBean)) {
        MBeans.unregister(stockBean);
      }
      MBeans.register("DataNode", name, new StandardMBean(this, FSDatasetMBean.class));
    } catch (MalformedObjectNameException | NotCompliantMBeanException e) {
      LOG.warn("JMX FSDatasetState of {} keeps the stock values, without PMEM usage", name, e);
    }
  }

  /** @return directories of the PMEM volumes in service, for tests and tools */
  public List<File> pmemVolumeDirs() {
    List<File> dirs = new ArrayList<>();
    for (PmemVolume volume : volumes.all()) {
      dirs.add(volume.root().toFile());
    }
    return dirs;
  }
}
