package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.hdfs.pmem.store.PmemReplica;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.protocol.LocatedBlock;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.apache.hadoop.hdfs.server.mover.Mover;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.Test;

/**
 * Moving replicas between PMEM and other storage of the same DataNode: the mover's same-node
 * moves ({@code replaceBlock} handled by {@code moveBlockAcrossStorage}) and the disk
 * balancer's moves between two PMEM volumes. With replication 1 a lost location would show up
 * at once as a missing block.
 */
class PmemSameNodeMoveTest extends PmemClusterTestBase {

  @Test
  void moverMovesReplicasOntoAndOffPmemOfTheSameDataNode() throws Exception {
    Configuration conf = newConf();
    conf.setLong(DFSConfigKeys.DFS_MOVER_MOVEDWINWIDTH_KEY, 2000L);
    startOneDataNode(conf, StorageType.DISK, StorageType.NVDIMM);
    Path dir = new Path("/moving");
    Path file = new Path(dir, "file");
    fs().mkdirs(dir);
    fs().setStoragePolicy(dir, "HOT");
    byte[] bytes = data(3 * BLOCK_SIZE + 10, 11);
    write(file, bytes, (short) 1);
    assertTrue(onStorage(file, StorageType.DISK), "written to DISK");

    fs().setStoragePolicy(dir, "ALL_NVDIMM");
    assertEquals(0, ToolRunner.run(conf, new Mover.Cli(), new String[] {"-p", dir.toString()}));
    waitFor("blocks on NVDIMM", 30_000, () -> onStorage(file, StorageType.NVDIMM));
    assertContent(file, bytes);
    assertHeldBy(file, true);
    assertFsckHealthy(conf);

    // The replicas stay on PMEM across a restart (the stock copies are gone, not resurrected).
    DataNode dn = cluster.getDataNodes().get(0);
    waitFor("stock copies deleted", 30_000, () -> stockCopiesGone(dn, file));
    restartKeepingPorts(cluster.stopDataNode(0));
    cluster.waitActive();
    cluster.triggerBlockReports();
    waitFor("blocks on NVDIMM after restart", 30_000,
        () -> onStorage(file, StorageType.NVDIMM));
    assertHeldBy(file, true);
    assertContent(file, bytes);

    fs().setStoragePolicy(dir, "HOT");
    assertEquals(0, ToolRunner.run(conf, new Mover.Cli(), new String[] {"-p", dir.toString()}));
    waitFor("blocks back on DISK", 30_000, () -> onStorage(file, StorageType.DISK));
    assertContent(file, bytes);
    assertHeldBy(file, false);
    cluster.triggerBlockReports();
    assertTrue(onStorage(file, StorageType.DISK), "still one DISK location after block reports");
    assertFsckHealthy(conf);
  }

  @Test
  void diskBalancerMovesReplicaBetweenPmemVolumes() throws Exception {
    Configuration conf = newConf();
    DataNode dn = startOneDataNode(conf, StorageType.NVDIMM, StorageType.NVDIMM);
    Path file = new Path("/balanced");
    byte[] bytes = data(BLOCK_SIZE / 2 + 3, 12);
    write(file, bytes, (short) 1);

    ExtendedBlock block = firstBlock(file);
    PmemDataset dataset = (PmemDataset) dn.getFSDataset();
    String from = dataset.pmemReplica(block).getStorageUuid();
    FsVolumeSpi destination = otherVolume(dn.getFSDataset(), from);

    ExtendedBlock wrongLength = new ExtendedBlock(block);
    wrongLength.setNumBytes(block.getNumBytes() + 1);
    IOException refused = assertThrows(IOException.class,
        () -> dataset.moveBlockAcrossVolumes(wrongLength, destination));
    assertTrue(refused.getMessage().contains("does not match"), refused.getMessage());
    assertEquals(from, dataset.pmemReplica(block).getStorageUuid(),
        "refused move leaves it in place");

    dataset.moveBlockAcrossVolumes(block, destination);

    PmemReplica moved = dataset.pmemReplica(block);
    assertNotNull(moved, "still a PMEM replica");
    assertEquals(destination.getStorageID(), moved.getStorageUuid());
    waitFor("NameNode sees the new storage", 30_000,
        () -> storageIdOf(file).equals(destination.getStorageID()));
    assertContent(file, bytes);
    cluster.triggerBlockReports();
    assertEquals(destination.getStorageID(), storageIdOf(file));
    assertFsckHealthy(conf);
  }

  private ExtendedBlock firstBlock(Path file) throws IOException {
    return fs().getClient().getLocatedBlocks(file.toString(), 0).get(0).getBlock();
  }

  private String storageIdOf(Path file) {
    try {
      LocatedBlock located = fs().getClient().getLocatedBlocks(file.toString(), 0).get(0);
      return located.getStorageIDs().length == 1 ? located.getStorageIDs()[0] : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Checks every block of {@code file} is (or is not) a PMEM replica in the DataNode. */
  private void assertHeldBy(Path file, boolean pmem) throws IOException {
    PmemDataset dataset = (PmemDataset) cluster.getDataNodes().get(0).getFSDataset();
    List<LocatedBlock> blocks = fs().getClient().getLocatedBlocks(file.toString(), 0)
        .getLocatedBlocks();
    for (LocatedBlock located : blocks) {
      ExtendedBlock block = located.getBlock();
      if (pmem) {
        assertNotNull(dataset.pmemReplica(block), block + " is a PMEM replica");
      } else {
        assertNull(dataset.pmemReplica(block), block + " left PMEM");
        assertNotNull(dataset.stock().getReplica(block.getBlockPoolId(), block.getBlockId()),
            block + " is a stock replica");
      }
    }
  }

  private boolean stockCopiesGone(DataNode dn, Path file) {
    try {
      PmemDataset dataset = (PmemDataset) dn.getFSDataset();
      for (LocatedBlock located : fs().getClient().getLocatedBlocks(file.toString(), 0)
          .getLocatedBlocks()) {
        ExtendedBlock block = located.getBlock();
        if (dataset.stock().getReplica(block.getBlockPoolId(), block.getBlockId()) != null) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private boolean onStorage(Path file, StorageType type) {
    try {
      BlockLocation[] locations = fs().getFileBlockLocations(file, 0, Long.MAX_VALUE);
      for (BlockLocation location : locations) {
        if (location.getStorageTypes().length != 1 || location.getStorageTypes()[0] != type) {
          return false;
        }
      }
      return locations.length > 0;
    } catch (IOException e) {
      return false;
    }
  }
}
