package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.hdfs.pmem.store.BlockFileLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.protocol.DatanodeInfo;
import org.apache.hadoop.hdfs.protocol.HdfsConstants.DatanodeReportType;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.DataNodeTestUtils;
import org.apache.hadoop.hdfs.server.mover.Mover;
import org.apache.hadoop.hdfs.tools.DFSAdmin;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.Test;

/** Capacity reporting (NameNode, dfsadmin -report, JMX) and the mover with PMEM replicas. */
class PmemOperationsTest extends PmemClusterTestBase {
  private static final long FILE_LENGTH = BlockFileLayout.forCapacity(BLOCK_SIZE, 512)
      .bytesOnVolume();

  @Test
  void reportAndJmxCountPmemBlockFilesAsDfsUsed() throws Exception {
    Configuration conf = newConf();
    conf.setInt(PmemDatasetKeys.PREPARED_FILES_KEY, 0);
    startCluster(conf, 1);
    write(new Path("/five"), data(5 * BLOCK_SIZE, 5), (short) 1);
    waitFor("the NameNode to see 5 PMEM block files used", 30_000,
        () -> dfsUsed() >= 5 * FILE_LENGTH);
    DatanodeInfo dn = fs().getDataNodeStats(DatanodeReportType.LIVE)[0];
    assertTrue(dn.getDfsUsed() < 5 * FILE_LENGTH + BLOCK_SIZE, "DFS used " + dn.getDfsUsed());
    assertTrue(dn.getCapacity() > 0 && dn.getRemaining() > 0, dn.getDatanodeReport());

    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      PrintStream old = System.out;
      System.setOut(out);
      try {
        assertEquals(0, ToolRunner.run(new DFSAdmin(conf), new String[] {"-report"}));
      } finally {
        System.setOut(old);
      }
    }
    String report = buffer.toString(StandardCharsets.UTF_8);
    Matcher used = Pattern.compile("DFS Used: (\\d+)").matcher(report);
    assertTrue(used.find(), report);
    assertTrue(Long.parseLong(used.group(1)) >= 5 * FILE_LENGTH, report);

    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    String uuid = cluster.getDataNodes().get(0).getDatanodeUuid();
    ObjectName bean = new ObjectName("Hadoop:service=DataNode,name=FSDatasetState-" + uuid);
    long jmxUsed = (Long) jmx.getAttribute(bean, "DfsUsed");
    assertTrue(jmxUsed >= 5 * FILE_LENGTH, "JMX DfsUsed " + jmxUsed);
    assertTrue((Long) jmx.getAttribute(bean, "Capacity") > jmxUsed, "JMX Capacity");
  }

  @Test
  void preparedBlockFilesAreReservedSpaceNotDfsUsage() throws Exception {
    Configuration conf = newConf();
    conf.setInt(PmemDatasetKeys.PREPARED_FILES_KEY, 3);
    startCluster(conf, 1);
    DataNode datanode = cluster.getDataNodes().get(0);
    PmemDataset dataset = (PmemDataset) datanode.getFSDataset();
    waitFor("3 prepared block files", 30_000, () -> dataset.volumes().all().stream()
        .mapToLong(PmemVolume::preparedBytes).sum() >= 3 * FILE_LENGTH);
    // Returns once a heartbeat with the storage reports of now has been sent.
    DataNodeTestUtils.triggerHeartbeat(datanode);
    DatanodeInfo dn = fs().getDataNodeStats(DatanodeReportType.LIVE)[0];
    assertTrue(dn.getDfsUsed() < FILE_LENGTH, "a fresh cluster uses nothing: "
        + dn.getDatanodeReport());
    assertTrue(dataset.getDfsUsed() < FILE_LENGTH, "dataset DFS used " + dataset.getDfsUsed());
    assertTrue(dn.getCapacity() > 0 && dn.getRemaining() > 0, dn.getDatanodeReport());
  }

  @Test
  void moverMovesBlocksOntoAndOffPmem() throws Exception {
    Configuration conf = newConf();
    conf.setLong(DFSConfigKeys.DFS_MOVER_MOVEDWINWIDTH_KEY, 2000L);
    cluster = new MiniDFSCluster.Builder(conf, baseDir.toFile())
        .numDataNodes(2)
        .storagesPerDatanode(1)
        .storageTypes(new StorageType[][] {{StorageType.DISK}, {StorageType.NVDIMM}})
        .build();
    cluster.waitActive();
    Path dir = new Path("/moving");
    Path file = new Path(dir, "file");
    fs().mkdirs(dir);
    fs().setStoragePolicy(dir, "HOT");
    byte[] bytes = data(3 * BLOCK_SIZE + 10, 6);
    write(file, bytes, (short) 1);
    assertStorage(file, StorageType.DISK);

    fs().setStoragePolicy(dir, "ALL_NVDIMM");
    assertEquals(0, ToolRunner.run(conf, new Mover.Cli(), new String[] {"-p", dir.toString()}));
    waitFor("blocks on NVDIMM", 30_000, () -> onStorage(file, StorageType.NVDIMM));
    assertContent(file, bytes);

    fs().setStoragePolicy(dir, "HOT");
    assertEquals(0, ToolRunner.run(conf, new Mover.Cli(), new String[] {"-p", dir.toString()}));
    waitFor("blocks back on DISK", 30_000, () -> onStorage(file, StorageType.DISK));
    assertContent(file, bytes);
  }

  private void assertStorage(Path file, StorageType type) throws IOException {
    assertTrue(onStorage(file, type), file + " on " + type);
  }

  private boolean onStorage(Path file, StorageType type) {
    try {
      for (BlockLocation location : fs().getFileBlockLocations(file, 0, Long.MAX_VALUE)) {
        if (location.getStorageTypes().length != 1 || location.getStorageTypes()[0] != type) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private long dfsUsed() {
    try {
      return fs().getDataNodeStats(DatanodeReportType.LIVE)[0].getDfsUsed();
    } catch (IOException e) {
      return -1;
    }
  }
}
