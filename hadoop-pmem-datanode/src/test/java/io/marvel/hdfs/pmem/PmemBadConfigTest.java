package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.protocol.DatanodeInfo;
import org.apache.hadoop.hdfs.protocol.HdfsConstants.DatanodeReportType;
import org.apache.hadoop.hdfs.server.blockmanagement.DatanodeDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A DataNode whose libpmem cannot load: its [NVDIMM] volume fails with a message naming the
 * volume, libpmem and the install command; with a tolerated failure it runs on its other
 * volumes, without it refuses to start; blocks written before are not lost.
 */
class PmemBadConfigTest extends PmemClusterTestBase {
  private ChildDataNode datanode;

  @AfterEach
  void stopDataNode() throws InterruptedException {
    if (datanode != null) {
      datanode.close();
    }
  }

  @Test
  void missingLibpmemFailsTheVolumeAsToleratedOrRefusesToStart() throws Exception {
    Configuration conf = newConf();
    cluster = new MiniDFSCluster.Builder(conf, baseDir.toFile()).numDataNodes(0).build();
    cluster.waitActive();
    Path pmemDir = Files.createDirectories(baseDir.resolve("pmem"));
    Path diskDir = Files.createDirectories(baseDir.resolve("disk"));
    String dirs = "[NVDIMM]" + pmemDir.toUri() + ",[DISK]" + diskDir.toUri();
    Path good = ChildDataNode.writeConf(conf, cluster.getURI().toString(), dirs,
        baseDir.resolve("dn-site.xml"));

    datanode = ChildDataNode.start(good, baseDir.resolve("dn-1.log"), "256m");
    waitFor("a DataNode with 2 storages", 60_000, () -> storages() == 2);
    org.apache.hadoop.fs.Path onDisk = new org.apache.hadoop.fs.Path("/disk/file");
    org.apache.hadoop.fs.Path onPmem = new org.apache.hadoop.fs.Path("/pmem/file");
    fs().mkdirs(onDisk.getParent());
    fs().mkdirs(onPmem.getParent());
    fs().setStoragePolicy(onDisk.getParent(), "HOT");
    fs().setStoragePolicy(onPmem.getParent(), "ALL_NVDIMM");
    byte[] bytes = data(BLOCK_SIZE + 10, 5);
    write(onDisk, bytes, (short) 1);
    write(onPmem, bytes, (short) 1);
    datanode.close();

    Path broken = Files.createDirectories(baseDir.resolve("broken-lib"));
    Files.write(broken.resolve("libpmem.so.1"), new byte[0]);
    Map<String, String> noLibpmem = Map.of("LD_LIBRARY_PATH", broken.toString());
    Configuration tolerant = new Configuration(conf);
    tolerant.setInt(DFSConfigKeys.DFS_DATANODE_FAILED_VOLUMES_TOLERATED_KEY, 1);
    Path tolerantConf = ChildDataNode.writeConf(tolerant, cluster.getURI().toString(), dirs,
        baseDir.resolve("dn-tolerant.xml"));
    datanode = ChildDataNode.start(tolerantConf, baseDir.resolve("dn-2.log"), "256m",
        noLibpmem);
    waitFor("the DataNode to come back with its DISK storage only", 60_000,
        () -> storages() == 1 && volumeFailures() == 1);
    assertLogContains(baseDir.resolve("dn-2.log"), "[NVDIMM] volume " + pmemDir
        + " cannot be used: libpmem (PMDK) is not installed or cannot be loaded");
    assertLogContains(baseDir.resolve("dn-2.log"), "install libpmem with 'sudo apt-get install");
    assertContent(onDisk, bytes);
    datanode.close();

    Configuration strict = new Configuration(conf);
    strict.setInt(DFSConfigKeys.DFS_DATANODE_FAILED_VOLUMES_TOLERATED_KEY, 0);
    Path strictConf = ChildDataNode.writeConf(strict, cluster.getURI().toString(), dirs,
        baseDir.resolve("dn-strict.xml"));
    datanode = ChildDataNode.start(strictConf, baseDir.resolve("dn-3.log"), "256m", noLibpmem);
    // Stock behaviour when no block pool can start: the DataNode process ends (exit code 0).
    assertNotNull(datanode.awaitExit(60), "the DataNode should refuse to start");
    assertLogContains(baseDir.resolve("dn-3.log"), "Initialization failed for Block pool");
    assertLogContains(baseDir.resolve("dn-3.log"), "Too many failed volumes: 1 of 2 failed, "
        + "dfs.datanode.failed.volumes.tolerated = 0. [NVDIMM] volume " + pmemDir
        + " cannot be used: libpmem (PMDK) is not installed");

    datanode = ChildDataNode.start(good, baseDir.resolve("dn-4.log"), "256m");
    waitFor("the DataNode to come back with both storages", 60_000, () -> storages() == 2);
    waitFor("the PMEM block to be reported again", 60_000, () -> readable(onPmem, bytes));
    assertContent(onPmem, bytes);
    assertContent(onDisk, bytes);
  }

  private boolean readable(org.apache.hadoop.fs.Path file, byte[] expected) {
    byte[] actual = new byte[expected.length];
    try (FSDataInputStream in = fs().open(file)) {
      in.readFully(actual);
      assertArrayEquals(expected, actual);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private DatanodeDescriptor liveDataNode() throws IOException {
    DatanodeInfo[] live = fs().getDataNodeStats(DatanodeReportType.LIVE);
    if (live.length != 1 || !datanode.isAlive()) {
      return null;
    }
    return cluster.getNamesystem().getBlockManager().getDatanodeManager()
        .getDatanode(live[0]);
  }

  private int storages() {
    try {
      DatanodeDescriptor dn = liveDataNode();
      return dn == null ? -1 : dn.getStorageInfos().length;
    } catch (IOException e) {
      return -1;
    }
  }

  private int volumeFailures() {
    try {
      DatanodeDescriptor dn = liveDataNode();
      return dn == null ? -1 : dn.getVolumeFailures();
    } catch (IOException e) {
      return -1;
    }
  }

  private static void assertLogContains(Path log, String text) throws IOException {
    String content = Files.readString(log);
    assertTrue(content.contains(text), "log " + log + " lacks: " + text);
  }
}
