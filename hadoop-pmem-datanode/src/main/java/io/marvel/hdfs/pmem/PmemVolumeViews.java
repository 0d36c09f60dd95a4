package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PmemReplicaMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi.FsVolumeReferences;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;

/**
 * The volume list the dataset hands out through {@code getFsVolumeReferences()}: the stock
 * volumes, each PMEM volume in service replaced by its {@link PmemVolumeView}. Thread-safe.
 */
final class PmemVolumeViews {
  private final PmemVolumes volumes;
  private final PmemReplicaMap replicas;
  private final FsDatasetSpi<?> dataset;
  private final Map<String, PmemVolumeView> views = new ConcurrentHashMap<>();

  PmemVolumeViews(PmemVolumes volumes, PmemReplicaMap replicas, FsDatasetSpi<?> dataset) {
    this.volumes = volumes;
    this.replicas = replicas;
    this.dataset = dataset;
  }

  /**
   * @param stockVolumes the stock dataset's volumes
   * @return references to them, PMEM volumes as views; the caller closes them
   */
  FsVolumeReferences references(List<FsVolumeImpl> stockVolumes) {
    List<FsVolumeSpi> list = new ArrayList<>(stockVolumes.size());
    for (FsVolumeImpl volume : stockVolumes) {
      PmemVolume pmem = volumes.get(volume.getStorageID());
      if (pmem == null || pmem.volume() != volume) {
        views.remove(volume.getStorageID());
        list.add(volume);
      } else {
        // A volume removed and added again keeps its storage id but is a new object.
        list.add(views.compute(volume.getStorageID(), (id, view) ->
            view != null && view.stock() == volume ? view
                : new PmemVolumeView(volume, replicas, dataset)));
      }
    }
    return new FsVolumeReferences(list);
  }
}
