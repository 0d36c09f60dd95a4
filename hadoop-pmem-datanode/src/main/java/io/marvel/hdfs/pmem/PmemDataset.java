package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PmemReplica;
import io.marvel.hdfs.pmem.store.PmemReplicaMap;
import io.marvel.hdfs.pmem.store.ReplicaMetaOutput;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
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
import org.apache.hadoop.hdfs.protocol.Block;
import org.apache.hadoop.hdfs.protocol.BlockListAsLongs;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.Replica;
import org.apache.hadoop.hdfs.server.datanode.ReplicaHandler;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInfo;
import org.apache.hadoop.hdfs.server.datanode.StorageLocation;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.ReplicaOutputStreams;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;
import org.apache.hadoop.hdfs.server.datanode.metrics.FSDatasetMBean;
import org.apache.hadoop.hdfs.server.protocol.DatanodeStorage;
import org.apache.hadoop.hdfs.server.protocol.NamespaceInfo;
import org.apache.hadoop.hdfs.server.protocol.StorageReport;
import org.apache.hadoop.metrics2.util.MBeans;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DataNode's dataset when {@link PmemDatasetFactory} is configured: replicas on
 * {@code [NVDIMM]} volumes live in PMEM block files, everything else is the stock dataset's.
 * Volumes, storage ids, health checks and failure accounting stay with the stock dataset, which
 * keeps owning the [NVDIMM] volume objects.
 *
 * <p>This class only routes. {@link ForwardingDataset} hands a call about one existing block
 * to the side that holds it ({@link BlockPlacement}, {@link ReplicaSide}) and other calls to
 * the stock dataset; this class hands on, in a line or two each, the calls that concern PMEM as
 * a whole: a new replica to PMEM ({@link PmemReplicas}) or to the stock dataset, caching to
 * {@link DatasetCache}, reports and usage to {@link DatasetReports}, volumes and block pools to
 * {@link VolumeChanges}, moves to {@link ReplicaRelocation}.
 *
 * <p>Thread safety: as the stock dataset; PMEM replicas synchronize on themselves.
 */
@InterfaceAudience.Private
@InterfaceStability.Unstable
public final class PmemDataset extends ForwardingDataset {
  private static final Logger LOG = LoggerFactory.getLogger(PmemDataset.class);

  private final FsDatasetSpi<FsVolumeImpl> stock;
  private final BlockPlacement placement;
  private final PmemReplicas pmem;
  private final DatasetCache cache;
  private final DatasetReports reports;
  private final VolumeChanges changes;
  private final PmemVolumeViews views;
  private final AtomicReference<PmemScanner> scanner = new AtomicReference<>();

  /**
   * @param deleteDuplicates {@code dfs.datanode.duplicate.replica.deletion}: whether a block
   *     found both in PMEM and in the stock dataset loses one of its replicas
   */
  PmemDataset(FsDatasetSpi<FsVolumeImpl> stock, DataNode datanode, PmemVolumes volumes,
      boolean deleteDuplicates) {
    this(stock, new BlockPlacement(new PmemReplicas(datanode, volumes, stock), stock),
        deleteDuplicates);
  }

  private PmemDataset(FsDatasetSpi<FsVolumeImpl> stock, BlockPlacement placement,
      boolean deleteDuplicates) {
    super(stock, placement);
    this.stock = stock;
    this.placement = placement;
    this.pmem = placement.pmem();
    this.cache = new DatasetCache(stock, pmem.map());
    this.reports = new DatasetReports(stock, pmem);
    this.changes = new VolumeChanges(stock, pmem,
        new DuplicateReplicas(stock, pmem, deleteDuplicates));
    this.views = new PmemVolumeViews(pmem.volumes(), pmem.map(), this);
  }

  /**
   * Starts the background scan of PMEM replicas (a thread, unless the settings disable it);
   * {@link #shutdown()} stops it.
   */
  void startScanner(ScannerSettings settings) {
    PmemScanner created = new PmemScanner(settings, pmem.map(),
        pmem.datanode()::reportBadBlocks);
    if (!scanner.compareAndSet(null, created)) {
      throw new IllegalStateException("the PMEM replica scanner was started already");
    }
    created.start();
  }

  /** PMEM volumes as {@link PmemVolumeView}s, whose block iterators find PMEM replicas. */
  @Override
  public FsVolumeReferences getFsVolumeReferences() {
    return views.references(stock.getVolumeList());
  }

  // New replicas, and calls about several blocks at once.

  @Override
  public ReplicaHandler createTemporary(StorageType storageType, String storageId,
      ExtendedBlock b, boolean isTransfer) throws IOException {
    return placement.newReplicaOnPmem(storageType, storageId) ? pmem.createTemporary(b)
        : stock.createTemporary(storageType, storageId, b, isTransfer);
  }

  @Override
  public ReplicaHandler createRbw(StorageType storageType, String storageId, ExtendedBlock b,
      boolean allowLazyPersist) throws IOException {
    return createRbw(storageType, storageId, b, allowLazyPersist, 0L);
  }

  @Override
  public ReplicaHandler createRbw(StorageType storageType, String storageId, ExtendedBlock b,
      boolean allowLazyPersist, long newGS) throws IOException {
    return placement.newReplicaOnPmem(storageType, storageId) ? pmem.createRbw(b, newGS)
        : stock.createRbw(storageType, storageId, b, allowLazyPersist, newGS);
  }

  /** The checksum stream tells the sides apart: a PMEM replica's rewinds itself. */
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
  public void invalidate(String bpid, Block[] blocks) throws IOException {
    BlockPlacement.Split split = placement.split(bpid, blocks);
    List<String> errors = pmem.invalidate(bpid, split.pmem());
    if (!split.stock().isEmpty()) {
      stock.invalidate(bpid, split.stock().toArray(new Block[0]));
    }
    if (!errors.isEmpty()) {
      throw new IOException("Failed to delete " + errors.size() + " PMEM replicas: " + errors);
    }
  }

  /** Moves between PMEM and other storage of this node too: see {@link ReplicaRelocation}. */
  @Override
  public ReplicaInfo moveBlockAcrossStorage(ExtendedBlock block, StorageType targetStorageType,
      String storageId) throws IOException {
    return relocation().moveAcrossStorage(block, targetStorageType, storageId);
  }

  @Override
  public ReplicaInfo moveBlockAcrossVolumes(ExtendedBlock block, FsVolumeSpi destination)
      throws IOException {
    return relocation().moveAcrossVolumes(block, PmemVolumeView.unwrap(destination));
  }

  private ReplicaRelocation relocation() {
    return new ReplicaRelocation(stock, pmem, placement);
  }

  // Caching.

  @Override
  public void cache(String bpid, long[] blockIds) {
    cache.cache(bpid, blockIds);
  }

  @Override
  public void uncache(String bpid, long[] blockIds) {
    cache.uncache(bpid, blockIds);
  }

  @Override
  public List<Long> getCacheReport(String bpid) {
    return cache.report(bpid);
  }

  @Override
  public long getCacheCapacity() {
    return cache.capacity();
  }

  @Override
  public long getCacheUsed() {
    return cache.used();
  }

  @Override
  public long getNumBlocksCached() {
    return cache.count();
  }

  @Override
  public long getNumBlocksFailedToCache() {
    return cache.failedToCache();
  }

  // Reports and usage.

  @Override
  public Map<DatanodeStorage, BlockListAsLongs> getBlockReports(String bpid) {
    return reports.blockReports(bpid);
  }

  @Override
  public StorageReport[] getStorageReports(String bpid) throws IOException {
    return reports.storageReports(bpid);
  }

  @Override
  public long getDfsUsed() throws IOException {
    return reports.dfsUsed();
  }

  @Override
  public long getCapacity() throws IOException {
    return reports.capacity();
  }

  @Override
  public long getBlockPoolUsed(String bpid) throws IOException {
    return reports.blockPoolUsed(bpid);
  }

  @Override
  public Set<? extends Replica> deepCopyReplica(String bpid) throws IOException {
    return reports.deepCopyReplica(bpid);
  }

  // Volumes and block pools.

  @Override
  public void addBlockPool(String bpid, Configuration conf) throws IOException {
    changes.addBlockPool(bpid, conf);
  }

  @Override
  public void shutdownBlockPool(String bpid) {
    changes.shutdownBlockPool(bpid);
  }

  @Override
  public void deleteBlockPool(String bpid, boolean force) throws IOException {
    changes.deleteBlockPool(bpid, force);
  }

  @Override
  public void addVolume(StorageLocation location, List<NamespaceInfo> nsInfos)
      throws IOException {
    changes.addVolume(location, nsInfos);
  }

  @Override
  public void removeVolumes(Collection<StorageLocation> locations, boolean clearFailure) {
    changes.removeVolumes(locations, clearFailure);
  }

  @Override
  public void handleVolumeFailures(Set<FsVolumeSpi> failedVolumes) {
    changes.handleVolumeFailures(failedVolumes);
  }

  @Override
  public void shutdown() {
    PmemScanner running = scanner.get();
    if (running != null) {
      running.close();
    }
    changes.shutdown();
  }

  /**
   * Takes over the DataNode's FSDatasetState MBean, which the stock dataset registered for
   * itself, so that JMX capacity and usage include PMEM block files. The stock dataset
   * unregisters the name again when it shuts down.
   */
  void replaceDatasetMBean() {
    String name = "FSDatasetState-" + pmem.datanode().getDatanodeUuid();
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
    for (PmemVolume volume : pmem.volumes().all()) {
      dirs.add(volume.root().toFile());
    }
    return dirs;
  }

  /** @return the PMEM replica of {@code b}, or null when the stock dataset holds it; for tests */
  PmemReplica pmemReplica(ExtendedBlock b) {
    return placement.pmemReplica(b);
  }

  /** @return the stock dataset behind this one, for tests */
  FsDatasetSpi<FsVolumeImpl> stock() {
    return stock;
  }

  /** @return the PMEM volumes in service, for tests */
  PmemVolumes volumes() {
    return pmem.volumes();
  }

  /** @return the PMEM replicas, for tests */
  PmemReplicaMap replicas() {
    return pmem.map();
  }
}
