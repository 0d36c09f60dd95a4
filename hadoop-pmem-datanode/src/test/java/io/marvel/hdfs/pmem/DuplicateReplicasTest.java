package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.hdfs.pmem.store.PmemReplica;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.MiniDFSCluster.DataNodeProperties;
import org.apache.hadoop.hdfs.protocol.BlockListAsLongs;
import org.apache.hadoop.hdfs.protocol.BlockListAsLongs.BlockReportReplica;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.protocol.LocatedBlock;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInfo;
import org.apache.hadoop.hdfs.server.protocol.DatanodeStorage;
import org.apache.hadoop.test.GenericTestUtils.LogCapturer;
import org.junit.jupiter.api.Test;

/**
 * What a DataNode killed in the middle of a same-node move finds when it starts again. The
 * crash is reproduced on disk: after a real move from DISK to PMEM, the stock replica's files,
 * saved before the move, are put back while the DataNode is down, as if it had died after the
 * PMEM copy was finalized and before the stock replica was deleted. Replication 1, so a lost
 * replica would show up as a missing block.
 */
class DuplicateReplicasTest extends PmemClusterTestBase {
  private static final Path DIR = new Path("/moving");
  private static final Path FILE = new Path(DIR, "file");

  @Test
  void restartAfterInterruptedMoveKeepsOneReplica() throws Exception {
    Configuration conf = newConf();
    byte[] bytes = writeOnDisk(conf, BLOCK_SIZE / 2 + 7);
    ExtendedBlock block = firstBlock();
    ReplicaInfo stock = stockReplica(block);
    File blockFile = new File(stock.getBlockURI());
    File metaFile = new File(stock.getMetadataURI());
    File saved = Files.createDirectories(baseDir.resolve("saved-replica")).toFile();
    copy(blockFile, new File(saved, blockFile.getName()));
    copy(metaFile, new File(saved, metaFile.getName()));

    dataset().moveBlockAcrossStorage(block, StorageType.NVDIMM, null);
    waitFor("the stock replica deleted by the move", 30_000, () -> !blockFile.exists());
    waitFor("the NameNode to see the block on NVDIMM", 30_000, this::onePmemLocation);

    DataNodeProperties stopped = cluster.stopDataNode(0);
    copy(new File(saved, blockFile.getName()), blockFile);
    copy(new File(saved, metaFile.getName()), metaFile);
    LogCapturer logs = LogCapturer.captureLogs(
        org.apache.log4j.Logger.getLogger(DuplicateReplicas.class));
    try {
      restartKeepingPorts(stopped);
    } finally {
      logs.stopCapturing();
    }

    PmemDataset restarted = dataset();
    PmemReplica kept = restarted.pmemReplica(block);
    assertNotNull(kept, "the PMEM copy is kept");
    assertEquals(ReplicaState.FINALIZED, kept.getState());
    String log = logs.getOutput();
    assertTrue(log.contains("Block " + block.getBlockId() + " of " + block.getBlockPoolId()
        + " is stored twice"), log);
    assertTrue(log.contains(kept.file().path().toString()), log);
    assertTrue(log.contains(blockFile.getPath()), log);
    assertTrue(log.contains("keeping the PMEM replica (same bytes, PMEM preferred)"), log);
    assertEquals(1, reportedTimes(restarted, block), "block reports right after the restart");

    waitFor("the stale stock files deleted", 30_000,
        () -> !blockFile.exists() && !metaFile.exists());
    waitFor("the stock replica forgotten", 30_000, () -> stockReplica(block) == null);
    assertEquals(1, reportedTimes(restarted, block), "block reports after the deletion");
    cluster.triggerBlockReports();
    waitFor("one NVDIMM location at the NameNode", 30_000, this::onePmemLocation);
    assertContent(FILE, bytes);
    assertFsckHealthy(conf);
  }

  @Test
  void unfinalizedPmemCopyOfAMoveIsRecycledAtRestart() throws Exception {
    Configuration conf = newConf();
    byte[] bytes = writeOnDisk(conf, BLOCK_SIZE / 3);
    ExtendedBlock block = firstBlock();
    // What a crash while the move copies leaves: a PMEM copy whose header still says TEMPORARY.
    PmemVolume volume = dataset().volumes().all().get(0);
    PmemReplica copy = volume.createReplica(block.getBlockPoolId(), block.getBlockId(),
        block.getGenerationStamp(), ReplicaState.TEMPORARY);
    java.nio.file.Path copyPath = copy.file().path();
    copy.file().close();
    assertTrue(Files.exists(copyPath), copyPath.toString());

    restartKeepingPorts(cluster.stopDataNode(0));

    assertNull(dataset().pmemReplica(block), "no PMEM replica of the block");
    assertFalse(Files.exists(copyPath), "the temporary copy went back to the pool");
    assertNotNull(stockReplica(block), "the stock replica stays");
    assertEquals(1, reportedTimes(dataset(), block));
    cluster.triggerBlockReports();
    LocatedBlock located = fs().getClient().getLocatedBlocks(FILE.toString(), 0).get(0);
    assertEquals(1, located.getLocations().length);
    assertEquals(StorageType.DISK, located.getStorageTypes()[0]);
    assertContent(FILE, bytes);
    assertFsckHealthy(conf);
  }

  /** Starts a DataNode with a DISK and an NVDIMM dir and writes one block to DISK. */
  private byte[] writeOnDisk(Configuration conf, int length) throws IOException {
    startOneDataNode(conf, StorageType.DISK, StorageType.NVDIMM);
    fs().mkdirs(DIR);
    fs().setStoragePolicy(DIR, "HOT");
    byte[] bytes = data(length, 21);
    write(FILE, bytes, (short) 1);
    assertEquals(StorageType.DISK, fs().getClient().getLocatedBlocks(FILE.toString(), 0).get(0)
        .getStorageTypes()[0]);
    return bytes;
  }

  private PmemDataset dataset() {
    return (PmemDataset) cluster.getDataNodes().get(0).getFSDataset();
  }

  private ExtendedBlock firstBlock() throws IOException {
    return fs().getClient().getLocatedBlocks(FILE.toString(), 0).get(0).getBlock();
  }

  @SuppressWarnings("deprecation")
  private ReplicaInfo stockReplica(ExtendedBlock block) {
    return (ReplicaInfo) dataset().stock().getReplica(block.getBlockPoolId(), block.getBlockId());
  }

  /** Copies a file keeping its times, as the files a crash leaves behind have them. */
  private static void copy(File from, File to) throws IOException {
    Files.createDirectories(to.toPath().getParent());
    Files.copy(from.toPath(), to.toPath(), StandardCopyOption.COPY_ATTRIBUTES);
  }

  /** @return how often the block appears in the dataset's full block report, all storages */
  private static int reportedTimes(PmemDataset dataset, ExtendedBlock block) {
    int times = 0;
    Map<DatanodeStorage, BlockListAsLongs> reports =
        dataset.getBlockReports(block.getBlockPoolId());
    for (BlockListAsLongs report : reports.values()) {
      for (BlockReportReplica replica : report) {
        if (replica.getBlockId() == block.getBlockId()) {
          times++;
        }
      }
    }
    return times;
  }

  private boolean onePmemLocation() {
    try {
      LocatedBlock located = fs().getClient().getLocatedBlocks(FILE.toString(), 0).get(0);
      return located.getLocations().length == 1
          && located.getStorageTypes()[0] == StorageType.NVDIMM;
    } catch (IOException e) {
      return false;
    }
  }
}
