package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.Durability;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;
import org.apache.hadoop.util.DiskChecker.DiskErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PMEM volumes in service, and the choice of one for a new replica. Thread-safe.
 */
final class PmemVolumes implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(PmemVolumes.class);

  private final List<PmemVolume> volumes = new CopyOnWriteArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final Durability durability;

  private PmemVolumes(Durability durability) {
    this.durability = durability;
  }

  /**
   * Opens every [NVDIMM] volume of the stock dataset. Volumes that fail their probe are handed
   * to the stock dataset as failed volumes, as long as {@code dfs.datanode.failed.volumes
   * .tolerated} allows it.
   *
   * @param stock the stock dataset holding all volumes
   * @param settings PMEM settings
   * @param tolerated the configured number of tolerated failures (-1: all but one)
   * @param configured the number of configured data dirs
   * @param durability how the volumes' file system changes are made durable
   * @return the volumes in service
   * @throws DiskErrorException if more volumes failed than tolerated, listing each and why
   */
  static PmemVolumes open(FsDatasetSpi<FsVolumeImpl> stock, PmemSettings settings,
      int tolerated, int configured, Durability durability) throws DiskErrorException {
    PmemVolumes opened = new PmemVolumes(durability);
    Map<FsVolumeSpi, DiskErrorException> failed = new LinkedHashMap<>();
    for (FsVolumeImpl volume : stock.getVolumeList()) {
      if (volume.getStorageType() != StorageType.NVDIMM) {
        continue;
      }
      try {
        opened.add(PmemVolumeProbe.open(volume, settings, durability));
      } catch (DiskErrorException e) {
        failed.put(volume, e);
      }
    }
    if (!failed.isEmpty()) {
      int totalFailed = stock.getNumFailedVolumes() + failed.size();
      boolean allowed = tolerated < 0 ? totalFailed < configured : totalFailed <= tolerated;
      if (!allowed) {
        opened.closeQuietly();
        StringBuilder why = new StringBuilder("Too many failed volumes: " + totalFailed + " of "
            + configured + " failed, dfs.datanode.failed.volumes.tolerated = " + tolerated + ".");
        failed.values().forEach(e -> why.append(' ').append(e.getMessage()).append('.'));
        throw new DiskErrorException(why.toString());
      }
      failed.values().forEach(e -> LOG.warn("{}; the volume is taken out of service",
          e.getMessage()));
      stock.handleVolumeFailures(new HashSet<>(failed.keySet()));
    }
    return opened;
  }

  /** @return how the volumes' file system changes are made durable, for volumes added later */
  Durability durability() {
    return durability;
  }

  void add(PmemVolume volume) {
    volumes.add(volume);
    LOG.info("Serving {} from PMEM", volume);
  }

  /** @return the volume with this storage id, or null */
  PmemVolume get(String storageId) {
    for (PmemVolume volume : volumes) {
      if (volume.storageId().equals(storageId)) {
        return volume;
      }
    }
    return null;
  }

  /** @return true when no PMEM volume is in service */
  boolean isEmpty() {
    return volumes.isEmpty();
  }

  /** @return the volumes in service */
  List<PmemVolume> all() {
    return List.copyOf(volumes);
  }

  /**
   * @return every volume, in the order to try them for a new replica: round robin, as the
   *     stock dataset's default volume choosing policy (which also ignores the storage id the
   *     NameNode suggests)
   */
  List<PmemVolume> candidates() {
    List<PmemVolume> snapshot = new ArrayList<>(volumes);
    List<PmemVolume> order = new ArrayList<>(snapshot.size());
    int start = snapshot.isEmpty() ? 0 : Math.floorMod(next.getAndIncrement(), snapshot.size());
    for (int i = 0; i < snapshot.size(); i++) {
      order.add(snapshot.get((start + i) % snapshot.size()));
    }
    return order;
  }

  /**
   * Takes volumes out of service and closes them.
   *
   * @param storageIds the storage ids to remove
   * @return the removed volumes
   */
  List<PmemVolume> remove(Collection<String> storageIds) {
    Set<String> ids = new HashSet<>(storageIds);
    List<PmemVolume> removed = new ArrayList<>();
    for (PmemVolume volume : volumes) {
      if (ids.contains(volume.storageId()) && volumes.remove(volume)) {
        removed.add(volume);
        closeLogged(volume);
      }
    }
    return removed;
  }

  @Override
  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    for (PmemVolume volume : volumes) {
      closeLogged(volume);
    }
    volumes.clear();
  }

  private static void closeLogged(PmemVolume volume) {
    try {
      volume.close();
    } catch (IOException e) {
      LOG.warn("Closing {} failed", volume, e);
    }
  }
}
