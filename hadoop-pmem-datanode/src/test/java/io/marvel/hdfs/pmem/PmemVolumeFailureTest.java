package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.protocol.BlockListAsLongs;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi.FsVolumeReferences;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.apache.hadoop.hdfs.server.protocol.DatanodeStorage;
import org.junit.jupiter.api.Test;

/** A PMEM volume that disappears while the DataNode runs is handled like a failed disk. */
class PmemVolumeFailureTest extends PmemClusterTestBase {

  @Test
  void lostVolumeIsToleratedAndWritesGoOn() throws Exception {
    Configuration conf = newConf();
    conf.setInt(DFSConfigKeys.DFS_DATANODE_FAILED_VOLUMES_TOLERATED_KEY, 1);
    DataNode dn = startTwoVolumes(conf);
    PmemDataset dataset = (PmemDataset) dn.getFSDataset();
    byte[] bytes = data(8 * BLOCK_SIZE, 3);
    write(new Path("/before"), bytes, (short) 1);
    String lostStorage;
    try (FsVolumeReferences volumes = dataset.getFsVolumeReferences()) {
      lostStorage = volumes.get(1).getStorageID();
    }
    int onLost = replicasOn(dataset, lostStorage);
    assertTrue(onLost > 0 && onLost < 8, onLost + " of 8 replicas on the volume to lose");

    File lost = failOneVolume(dn);
    waitFor("the volume failure to be handled", 30_000,
        () -> dataset.getNumFailedVolumes() == 1 && dataset.pmemVolumeDirs().size() == 1);
    assertTrue(dn.isDatanodeUp(), "the DataNode tolerates one failed volume");
    assertEquals(1, dataset.getFailedStorageLocations().length);
    assertTrue(dataset.getFailedStorageLocations()[0].contains(lost.getPath()),
        dataset.getFailedStorageLocations()[0]);
    assertEquals(8 - onLost, replicasOn(dataset, null),
        "replicas reported once the volume is lost");

    byte[] after = data(2 * BLOCK_SIZE + 1, 4);
    write(new Path("/after"), after, (short) 1);
    assertContent(new Path("/after"), after);
  }

  @Test
  void lostVolumeBeyondToleranceStopsTheDataNode() throws Exception {
    DataNode dn = startTwoVolumes(newConf());
    write(new Path("/before"), data(2 * BLOCK_SIZE, 3), (short) 1);
    failOneVolume(dn);
    waitFor("the DataNode to shut down", 30_000, () -> !dn.isDatanodeUp());
  }

  /** @return replicas in the block report of {@code storageId}, or of all storages if null */
  private int replicasOn(PmemDataset dataset, String storageId) {
    int count = 0;
    for (Map.Entry<DatanodeStorage, BlockListAsLongs> e
        : dataset.getBlockReports(cluster.getNamesystem().getBlockPoolId()).entrySet()) {
      if (storageId == null || storageId.equals(e.getKey().getStorageID())) {
        count += e.getValue().getNumberOfBlocks();
      }
    }
    return count;
  }

  private DataNode startTwoVolumes(Configuration conf) throws IOException {
    // Let the disk checker look again right away (it skips volumes checked recently).
    conf.set(DFSConfigKeys.DFS_DATANODE_DISK_CHECK_MIN_GAP_KEY, "0s");
    return startOneDataNode(conf, StorageType.NVDIMM, StorageType.NVDIMM);
  }

  /**
   * Replaces the second volume's directory by a plain file (a missing directory alone the disk
   * checker would recreate) and lets the DataNode's disk checker find it.
   */
  private static File failOneVolume(DataNode dn) throws IOException {
    try (FsVolumeReferences volumes = dn.getFSDataset().getFsVolumeReferences()) {
      FsVolumeSpi volume = volumes.get(1);
      File dir = new File(volume.getBaseURI());
      assertTrue(FileUtil.fullyDelete(dir), "deleting " + dir);
      assertTrue(dir.createNewFile(), "creating a file in place of " + dir);
      dn.checkDiskErrorAsync(volume);
      return dir;
    }
  }
}
