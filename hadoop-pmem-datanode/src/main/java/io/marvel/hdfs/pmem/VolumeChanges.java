package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PmemReplica;
import io.marvel.hdfs.pmem.store.PmemReplicaMap;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.server.datanode.StorageLocation;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;
import org.apache.hadoop.hdfs.server.protocol.NamespaceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volumes and block pools coming and going, on both sides in step: the stock dataset keeps
 * owning every volume, and the PMEM side loads the replicas of an [NVDIMM] volume or block pool
 * that arrives, resolves blocks found on both sides ({@link DuplicateReplicas}), and forgets and
 * unmaps the replicas of what leaves. Thread safety is the stock dataset's.
 */
final class VolumeChanges {
  private static final Logger LOG = LoggerFactory.getLogger(VolumeChanges.class);

  private final FsDatasetSpi<FsVolumeImpl> stock;
  private final PmemReplicas pmem;
  private final PmemReplicaMap replicas;
  private final PmemVolumes volumes;
  private final DuplicateReplicas duplicates;

  VolumeChanges(FsDatasetSpi<FsVolumeImpl> stock, PmemReplicas pmem,
      DuplicateReplicas duplicates) {
    this.stock = stock;
    this.pmem = pmem;
    this.replicas = pmem.map();
    this.volumes = pmem.volumes();
    this.duplicates = duplicates;
  }

  /** {@code FsDatasetSpi.addBlockPool}: a PMEM volume that cannot load it leaves service. */
  void addBlockPool(String bpid, Configuration conf) throws IOException {
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

  /** {@code FsDatasetSpi.shutdownBlockPool}. */
  void shutdownBlockPool(String bpid) {
    PmemReplicas.closeFiles(replicas.removePool(bpid));
    stock.shutdownBlockPool(bpid);
  }

  /** {@code FsDatasetSpi.deleteBlockPool}: refused while PMEM replicas remain, unless forced. */
  void deleteBlockPool(String bpid, boolean force) throws IOException {
    if (!force && !replicas.replicas(bpid).isEmpty()) {
      throw new IOException("Block pool " + bpid + " still has PMEM replicas; not deleting");
    }
    stock.deleteBlockPool(bpid, force);
    PmemReplicas.closeFiles(replicas.removePool(bpid));
    for (PmemVolume volume : volumes.all()) {
      volume.deleteBlockPool(bpid);
    }
  }

  /** {@code FsDatasetSpi.addVolume}: an [NVDIMM] volume is opened as a PMEM volume too. */
  void addVolume(StorageLocation location, List<NamespaceInfo> nsInfos) throws IOException {
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
      PmemVolume added = PmemVolumeProbe.open(volume,
          PmemSettings.from(pmem.datanode().getConf()), volumes.durability());
      volumes.add(added);
      for (NamespaceInfo ns : nsInfos) {
        List<PmemReplica> loaded = added.loadBlockPool(ns.getBlockPoolID());
        for (PmemReplica replica : loaded) {
          replicas.put(ns.getBlockPoolID(), replica);
        }
        duplicates.resolve(ns.getBlockPoolID(), loaded);
      }
    }
  }

  /** {@code FsDatasetSpi.removeVolumes}. */
  void removeVolumes(Collection<StorageLocation> locations, boolean clearFailure) {
    Set<String> ids = new HashSet<>();
    for (PmemVolume volume : volumes.all()) {
      if (locations.contains(volume.volume().getStorageLocation())) {
        ids.add(volume.storageId());
      }
    }
    dropVolumes(ids);
    stock.removeVolumes(locations, clearFailure);
  }

  /** {@code FsDatasetSpi.handleVolumeFailures}: volumes may be {@link PmemVolumeView}s. */
  void handleVolumeFailures(Set<FsVolumeSpi> failedVolumes) {
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
    PmemReplicas.closeFiles(dropped);
    for (PmemVolume volume : volumes.remove(storageIds)) {
      LOG.warn("{} left service with {} PMEM replicas", volume, dropped.size());
    }
  }

  /** Closes every PMEM replica and volume, then shuts the stock dataset down. */
  void shutdown() {
    PmemReplicas.closeFiles(replicas.removeIf(r -> true));
    volumes.close();
    stock.shutdown();
  }
}
