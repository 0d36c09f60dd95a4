package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.junit.jupiter.api.Test;

/** Files of many sizes written to and read from PMEM DataNodes. */
class PmemWriteReadTest extends PmemClusterTestBase {
  private static final int[] SIZES = {0, 1, 100, 511, 512, 513, BLOCK_SIZE - 1, BLOCK_SIZE,
      BLOCK_SIZE + 1, 3 * BLOCK_SIZE, 5 * BLOCK_SIZE + 12345};

  @Test
  void writesAndReadsFilesOfManySizesWithOneReplica() throws Exception {
    startCluster(newConf(), 1);
    for (int size : SIZES) {
      Path file = new Path("/r1/file-" + size);
      byte[] bytes = data(size, size);
      write(file, bytes, (short) 1);
      assertContent(file, bytes);
    }
    assertBlocksOnPmem(new Path("/r1/file-" + (3 * BLOCK_SIZE)), 3, 1);
    assertPmemFilesExist(cluster.getDataNodes().get(0));
  }

  @Test
  void writesAndReadsFilesOfManySizesWithThreeReplicas() throws Exception {
    startCluster(newConf(), 3);
    for (int size : new int[] {0, 100, BLOCK_SIZE, 2 * BLOCK_SIZE + 777}) {
      Path file = new Path("/r3/file-" + size);
      byte[] bytes = data(size, 31L * size);
      write(file, bytes, (short) 3);
      assertContent(file, bytes);
    }
    assertBlocksOnPmem(new Path("/r3/file-" + (2 * BLOCK_SIZE + 777)), 3, 3);
  }

  private void assertBlocksOnPmem(Path file, int blocks, int replicas) throws IOException {
    BlockLocation[] locations = fs().getFileBlockLocations(file, 0, Long.MAX_VALUE);
    assertEquals(blocks, locations.length, "blocks of " + file);
    for (BlockLocation location : locations) {
      assertEquals(replicas, location.getStorageTypes().length, "replicas of " + location);
      for (StorageType type : location.getStorageTypes()) {
        assertEquals(StorageType.NVDIMM, type, "storage of " + location);
      }
    }
  }

  private static void assertPmemFilesExist(DataNode dn) {
    PmemDataset dataset = (PmemDataset) dn.getFSDataset();
    assertFalse(dataset.pmemVolumeDirs().isEmpty(), "PMEM volumes of " + dn);
    for (File dir : dataset.pmemVolumeDirs()) {
      File current = new File(dir, "current");
      String[] pools = current.list((d, name) -> name.startsWith("BP-"));
      assertTrue(pools != null && pools.length == 1, "block pool dirs in " + current);
      String[] blocks = new File(new File(current, pools[0]), "pmem").list();
      assertTrue(blocks != null && blocks.length > 0, "PMEM block files in " + dir);
    }
  }
}
