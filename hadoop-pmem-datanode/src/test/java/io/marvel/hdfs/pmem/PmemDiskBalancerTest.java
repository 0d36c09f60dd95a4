package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.hdfs.pmem.store.PmemReplica;
import io.marvel.hdfs.pmem.store.PmemReplicaMap;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.protocol.HdfsConstants.DatanodeReportType;
import org.apache.hadoop.hdfs.protocol.LocatedBlock;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.DiskBalancerWorkItem;
import org.apache.hadoop.hdfs.server.datanode.DiskBalancerWorkStatus;
import org.apache.hadoop.hdfs.server.datanode.DiskBalancerWorkStatus.DiskBalancerWorkEntry;
import org.apache.hadoop.hdfs.server.datanode.DiskBalancerWorkStatus.Result;
import org.apache.hadoop.hdfs.server.protocol.DatanodeStorageReport;
import org.apache.hadoop.hdfs.server.protocol.StorageReport;
import org.apache.hadoop.hdfs.tools.DiskBalancerCLI;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.Test;

/**
 * {@code hdfs diskbalancer -plan} and {@code -execute} on a DataNode whose PMEM replicas all
 * sit on one [NVDIMM] volume after a second one was added: the DataNode's disk balancer picks
 * PMEM replicas through the volume's block iterator and moves them to the new volume.
 */
class PmemDiskBalancerTest extends PmemClusterTestBase {
  /** Capacity each [NVDIMM] volume reports, set through the reserved space of /dev/shm. */
  private static final long VOLUME_CAPACITY = 32L * BLOCK_SIZE;

  @Test
  void planAndExecuteMovePmemReplicasOntoANewPmemVolume() throws Exception {
    Configuration conf = newConf();
    conf.setBoolean(DFSConfigKeys.DFS_DISK_BALANCER_ENABLED, true);
    conf.setLong(DFSConfigKeys.DFS_DATANODE_DU_RESERVED_KEY + ".nvdimm",
        new File("/dev/shm").getTotalSpace() - VOLUME_CAPACITY);
    DataNode before = startOneDataNode(conf, StorageType.NVDIMM, StorageType.DISK);
    Map<Path, byte[]> files = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      files.put(new Path("/pmem" + i), data(5 * BLOCK_SIZE, i));
    }
    Path onDisk = new Path("/disk/file");
    fs().mkdirs(onDisk.getParent());
    fs().setStoragePolicy(onDisk.getParent(), "HOT");
    files.put(onDisk, data(BLOCK_SIZE + 7, 9));
    for (Map.Entry<Path, byte[]> file : files.entrySet()) {
      write(file.getKey(), file.getValue(), (short) 1);
    }

    // A second PMEM module is installed, which takes a restart; it starts empty.
    String dirs = before.getConf().get(DFSConfigKeys.DFS_DATANODE_DATA_DIR_KEY);
    cluster.stopDataNode(0);
    Configuration withModule = new Configuration(conf);
    withModule.set(DFSConfigKeys.DFS_DATANODE_DATA_DIR_KEY,
        dirs + ",[NVDIMM]" + new File(baseDir.toFile(), "added-pmem").toURI());
    cluster.startDataNodes(withModule, 1, false, null, null);
    cluster.waitActive();
    DataNode dn = cluster.getDataNodes().get(0);
    PmemDataset dataset = (PmemDataset) dn.getFSDataset();
    List<String> pmemVolumes = storageIds(dataset);
    assertEquals(2, pmemVolumes.size());
    boolean firstHasThem = replicasOn(dataset, pmemVolumes.get(0)) > 0;
    String full = pmemVolumes.get(firstHasThem ? 0 : 1);
    String empty = pmemVolumes.get(firstHasThem ? 1 : 0);
    assertEquals(10, replicasOn(dataset, full));
    assertEquals(0, replicasOn(dataset, empty));
    waitFor("the NameNode to see both PMEM volumes and their use", 30_000,
        () -> reportedUsed(full) >= 10L * BLOCK_SIZE && reportedUsed(empty) >= 0);

    // The plan goes to DISK, so that the PMEM volumes hold only the files above.
    Path plans = new Path("/system/diskbalancer");
    fs().mkdirs(plans.getParent());
    fs().setStoragePolicy(plans.getParent(), "HOT");
    FileSystem.setDefaultUri(conf, cluster.getURI());
    List<String> planned = diskBalancer(conf, "-plan", dn.getDatanodeUuid(),
        "-out", plans.toString());
    assertEquals(2, planned.size(), String.join("\n", planned));
    assertEquals("Writing plan to:", planned.get(0));
    String planFile = planned.get(1);
    diskBalancer(conf, "-execute", planFile);
    waitFor("the plan to be done", 60_000, () -> result(dn) == Result.PLAN_DONE);

    DiskBalancerWorkStatus status = dn.queryDiskBalancerPlan();
    assertEquals(1, status.getCurrentState().size(), status.currentStateString());
    DiskBalancerWorkEntry entry = status.getCurrentState().get(0);
    DiskBalancerWorkItem work = entry.getWorkItem();
    assertTrue(work.getBlocksCopied() >= 3, status.currentStateString());
    assertEquals(0, work.getErrorCount(), status.currentStateString());
    assertEquals(work.getBlocksCopied(), replicasOn(dataset, empty), "moved replicas");
    assertEquals(10 - work.getBlocksCopied(), replicasOn(dataset, full), "replicas left");
    waitFor("the NameNode to know the new locations", 30_000,
        () -> locationsMatchDataset(dataset, files.keySet()));
    for (Map.Entry<Path, byte[]> file : files.entrySet()) {
      assertContent(file.getKey(), file.getValue());
    }
    assertFsckHealthy(conf);

    // The moves are on the volumes: a restarted DataNode finds the replicas where they went.
    restartKeepingPorts(cluster.stopDataNode(0));
    PmemDataset restarted = (PmemDataset) cluster.getDataNodes().get(0).getFSDataset();
    assertEquals(work.getBlocksCopied(), replicasOn(restarted, empty), "after restart");
    assertEquals(10 - work.getBlocksCopied(), replicasOn(restarted, full), "after restart");
    for (Map.Entry<Path, byte[]> file : files.entrySet()) {
      assertContent(file.getKey(), file.getValue());
    }
    assertFsckHealthy(conf);
  }

  /** Runs {@code hdfs diskbalancer args} and returns its output lines. */
  private static List<String> diskBalancer(Configuration conf, String... args)
      throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      assertEquals(0, ToolRunner.run(conf, new DiskBalancerCLI(conf, out), args));
    }
    return buffer.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static Result result(DataNode dn) {
    try {
      return dn.queryDiskBalancerPlan().getResult();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** @return storage ids of the PMEM volumes */
  private static List<String> storageIds(PmemDataset dataset) {
    return dataset.volumes().all().stream().map(PmemVolume::storageId).toList();
  }

  private static int replicasOn(PmemDataset dataset, String storageId) {
    int count = 0;
    PmemReplicaMap replicas = dataset.replicas();
    for (PmemReplica replica : replicas.replicas(replicas.blockPools().get(0))) {
      if (replica.getStorageUuid().equals(storageId)) {
        count++;
      }
    }
    return count;
  }

  /** @return DFS used the NameNode has from the storage's last report, or -1 if it has none */
  private long reportedUsed(String storageId) {
    try {
      cluster.triggerHeartbeats();
      for (DatanodeStorageReport node
          : fs().getClient().getDatanodeStorageReport(DatanodeReportType.LIVE)) {
        for (StorageReport report : node.getStorageReports()) {
          if (report.getStorage().getStorageID().equals(storageId)) {
            return report.getDfsUsed();
          }
        }
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** @return whether the NameNode locates every block on the storage the DataNode holds it */
  private boolean locationsMatchDataset(PmemDataset dataset, Iterable<Path> files) {
    try {
      for (Path file : files) {
        for (LocatedBlock located : fs().getClient().getLocatedBlocks(file.toString(), 0)
            .getLocatedBlocks()) {
          ExtendedBlock block = located.getBlock();
          PmemReplica replica = dataset.pmemReplica(block);
          String expected = replica != null ? replica.getStorageUuid()
              : dataset.stock().getVolume(block).getStorageID();
          if (located.getStorageIDs().length != 1
              || !located.getStorageIDs()[0].equals(expected)) {
            return false;
          }
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
