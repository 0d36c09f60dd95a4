package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.hdfs.pmem.store.Durability;
import io.marvel.hdfs.pmem.store.PowerCut;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A power cut, not a crash: the DataNode restarts on a copy of its volumes that holds only
 * what the PMEM store made durable ({@link PowerCut}), taken once every write below was
 * acknowledged: a finalized file, an append to it (hsync), a new replica in a prepared block
 * file renamed out of the pool (hsync) and a move of a replica to the other PMEM volume.
 * Everything acknowledged must be readable, with checksums verified, after lease recovery.
 * Without the syncs the image loses the appended block (its grown data file), the new one
 * (its rename) and the moved one (the copy's entry), and lease recovery never ends.
 */
class PmemPowerCutTest extends PmemClusterTestBase {
  private static final int APPENDED = 100;
  private static final int HSYNCED = 3000;

  @AfterEach
  void restoreDurability() {
    PowerCutDatasetFactory.durability = Durability.FSYNC;
  }

  @Test
  void everyAcknowledgedReplicaSurvivesAPowerCut() throws Exception {
    Path volumes = baseDir.resolve("data");
    PowerCut cut = new PowerCut(volumes, dir -> dir.getFileName().toString().equals("pmem")
        || dir.getFileName().toString().equals("pmem-pool"));
    PowerCutDatasetFactory.durability = cut;
    Configuration conf = newConf();
    conf.set(DFSConfigKeys.DFS_DATANODE_FSDATASET_FACTORY_KEY,
        PowerCutDatasetFactory.class.getName());
    DataNode dn = startOneDataNode(conf, StorageType.NVDIMM, StorageType.NVDIMM);
    PmemDataset dataset = (PmemDataset) dn.getFSDataset();

    org.apache.hadoop.fs.Path finalized = new org.apache.hadoop.fs.Path("/finalized");
    byte[] first = data(BLOCK_SIZE + BLOCK_SIZE / 2, 1);
    write(finalized, first, (short) 1);
    waitFor("a prepared block file on each volume", 30_000,
        () -> dataset.volumes().all().stream().allMatch(v -> v.preparedBytes() > 0));
    // Quiet time: the file system commits what it has.
    cut.commitAll();

    DistributedFileSystem writer = (DistributedFileSystem) FileSystem.newInstance(
        cluster.getURI(), conf);
    byte[] appended = data(APPENDED, 3);
    FSDataOutputStream append = writer.append(finalized);
    append.write(appended);
    append.hsync();
    org.apache.hadoop.fs.Path open = new org.apache.hadoop.fs.Path("/open");
    byte[] hsynced = data(HSYNCED, 4);
    FSDataOutputStream create = writer.create(open, (short) 1);
    create.write(hsynced);
    create.hsync();
    ExtendedBlock moved = fs().getClient().getLocatedBlocks(finalized.toString(), 0)
        .get(0).getBlock();
    dataset.moveBlockAcrossVolumes(moved,
        otherVolume(dataset, dataset.pmemReplica(moved).getStorageUuid()));

    Path image = baseDir.resolve("image");
    cut.image(image);
    writer.getClient().closeAllFilesBeingWritten(true);
    writer.close();
    MiniDFSCluster.DataNodeProperties stopped = cluster.stopDataNode(0);
    for (String volume : List.of("data1", "data2")) {
      FileUtil.fullyDelete(volumes.resolve(volume).toFile());
      Files.move(image.resolve(volume), volumes.resolve(volume));
    }
    PowerCutDatasetFactory.durability = Durability.FSYNC;
    restartKeepingPorts(stopped);

    byte[] whole = Arrays.copyOf(first, first.length + APPENDED);
    System.arraycopy(appended, 0, whole, first.length, APPENDED);
    assertRecovered(finalized, whole);
    assertRecovered(open, hsynced);
  }

  /** Recovers the file's lease and checks it holds at least the acknowledged bytes. */
  private void assertRecovered(org.apache.hadoop.fs.Path file, byte[] acknowledged)
      throws Exception {
    DistributedFileSystem dfs = fs();
    waitFor("lease recovery of " + file, 60_000, () -> recoverLease(dfs, file));
    long length = dfs.getFileStatus(file).getLen();
    assertTrue(length >= acknowledged.length, file + " has " + length + " bytes but "
        + acknowledged.length + " were acknowledged");
    byte[] actual = new byte[acknowledged.length];
    try (FSDataInputStream in = dfs.open(file)) {
      in.readFully(actual);
    }
    assertArrayEquals(acknowledged, actual, "content of " + file);
    assertEquals(acknowledged.length, length, "no bytes beyond the written ones in " + file);
  }
}
