package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.Pmem;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.protocol.DatanodeInfo;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.protocol.HdfsConstants.DatanodeReportType;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.apache.hadoop.hdfs.tools.DFSck;
import org.apache.hadoop.io.IOUtils;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * Shared fixture of the MiniDFSCluster tests: a real NameNode and real DataNodes whose only data
 * dirs are {@code [NVDIMM]} dirs on /dev/shm served by the PMEM dataset, on 127.0.0.1. Each test
 * gets its own base directory under /dev/shm, deleted afterwards even on failure.
 */
@Tag("integration")
public abstract class PmemClusterTestBase {
  /** Block size of test files: small, so that a few MiB span many blocks. */
  protected static final int BLOCK_SIZE = 1024 * 1024;

  protected Path baseDir;
  protected MiniDFSCluster cluster;

  @BeforeAll
  static void requirePmem() throws IOException {
    Pmem.ensureAvailable();
    // Jetty (NameNode and DataNode web UIs) unpacks into java.io.tmpdir, which surefire points
    // into target/ without creating it.
    Files.createDirectories(Paths.get(System.getProperty("java.io.tmpdir")));
  }

  @BeforeEach
  void createBaseDir() throws IOException {
    baseDir = Files.createTempDirectory(Paths.get("/dev/shm"), "marvel-dn-test-");
  }

  @AfterEach
  void shutdownCluster() {
    try {
      if (cluster != null) {
        cluster.shutdown(true);
      }
    } finally {
      cluster = null;
      FileUtil.fullyDelete(baseDir.toFile());
    }
  }

  /** @return a configuration for PMEM DataNodes on the loopback interface */
  protected Configuration newConf() {
    Configuration conf = new Configuration();
    PmemDatasetFactory.setFactory(conf);
    conf.setLong(DFSConfigKeys.DFS_BLOCK_SIZE_KEY, BLOCK_SIZE);
    conf.setInt(DFSConfigKeys.DFS_HEARTBEAT_INTERVAL_KEY, 1);
    conf.setInt(DFSConfigKeys.DFS_NAMENODE_HEARTBEAT_RECHECK_INTERVAL_KEY, 500);
    conf.set(DFSConfigKeys.DFS_DATANODE_ADDRESS_KEY, "127.0.0.1:0");
    conf.set(DFSConfigKeys.DFS_DATANODE_HTTP_ADDRESS_KEY, "127.0.0.1:0");
    conf.set(DFSConfigKeys.DFS_DATANODE_IPC_ADDRESS_KEY, "127.0.0.1:0");
    conf.setInt(PmemDatasetKeys.PREPARED_FILES_KEY, 1);
    return conf;
  }

  /** Starts {@code dataNodes} PMEM DataNodes with one [NVDIMM] dir each; "/" gets ALL_NVDIMM. */
  protected MiniDFSCluster startCluster(Configuration conf, int dataNodes) throws IOException {
    cluster = new MiniDFSCluster.Builder(conf, baseDir.toFile())
        .numDataNodes(dataNodes)
        .storagesPerDatanode(1)
        .storageTypes(new StorageType[] {StorageType.NVDIMM})
        .build();
    cluster.waitActive();
    cluster.getFileSystem().setStoragePolicy(new org.apache.hadoop.fs.Path("/"), "ALL_NVDIMM");
    return cluster;
  }

  /**
   * Starts one DataNode with one data dir per storage type given; "/" gets ALL_NVDIMM.
   *
   * @return the DataNode
   */
  protected DataNode startOneDataNode(Configuration conf, StorageType... storages)
      throws IOException {
    cluster = new MiniDFSCluster.Builder(conf, baseDir.toFile())
        .numDataNodes(1)
        .storagesPerDatanode(storages.length)
        .storageTypes(storages)
        .build();
    cluster.waitActive();
    fs().setStoragePolicy(new org.apache.hadoop.fs.Path("/"), "ALL_NVDIMM");
    return cluster.getDataNodes().get(0);
  }

  protected DistributedFileSystem fs() throws IOException {
    return cluster.getFileSystem();
  }

  /** @return {@code length} reproducible pseudo-random bytes */
  protected static byte[] data(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Writes {@code bytes} to {@code file} with {@code replication} and closes it. */
  protected void write(org.apache.hadoop.fs.Path file, byte[] bytes, short replication)
      throws IOException {
    try (FSDataOutputStream out = fs().create(file, replication)) {
      out.write(bytes);
    }
  }

  /** Reads {@code file} whole and checks it holds {@code expected}. */
  protected void assertContent(org.apache.hadoop.fs.Path file, byte[] expected)
      throws IOException {
    assertEquals(expected.length, fs().getFileStatus(file).getLen(), "length of " + file);
    byte[] actual = new byte[expected.length];
    try (FSDataInputStream in = fs().open(file)) {
      in.readFully(actual);
      assertEquals(-1, in.read(), "bytes after the end of " + file);
    }
    assertArrayEquals(expected, actual, "content of " + file);
  }

  /**
   * Restarts a stopped DataNode on its old ports, retrying while the old sockets are still
   * bound (they close asynchronously), for up to 30 s.
   */
  protected void restartKeepingPorts(MiniDFSCluster.DataNodeProperties stopped)
      throws IOException, InterruptedException {
    DataNodeRestarts.restartKeepingPorts(cluster, stopped);
  }

  /** Runs {@code hdfs fsck /} and asserts it exits 0 with status HEALTHY. */
  protected static void assertFsckHealthy(Configuration conf) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      int rc = ToolRunner.run(new DFSck(conf, out), new String[] {"/"});
      String report = buffer.toString(StandardCharsets.UTF_8);
      assertEquals(0, rc, report);
      assertTrue(report.contains("Status: HEALTHY"), report);
    }
  }

  protected static void waitFor(String what, long timeoutMs, BooleanSupplier condition)
      throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("timed out after " + timeoutMs + " ms waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  /** Flips one byte of the replica's PMEM data file, behind the DataNode's back. */
  protected static void flipDataByte(DataNode dn, ExtendedBlock block, long offset)
      throws IOException {
    PmemDataset dataset = (PmemDataset) dn.getFSDataset();
    File blockFile = null;
    for (File dir : dataset.pmemVolumeDirs()) {
      File candidate = new File(new File(new File(new File(dir, "current"),
          block.getBlockPoolId()), "pmem"), "blk_" + block.getBlockId());
      if (candidate.exists()) {
        blockFile = candidate;
      }
    }
    assertTrue(blockFile != null, "block file of " + block + " on " + dn);
    try (RandomAccessFile raf = new RandomAccessFile(blockFile, "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0xff);
    }
  }

  /** @return DataNodes whose replica of {@code block} holds {@code expected} */
  protected int goodReplicas(ExtendedBlock block, byte[] expected) {
    int good = 0;
    for (DataNode dn : cluster.getDataNodes()) {
      if (replicaMatches(dn, block, expected)) {
        good++;
      }
    }
    return good;
  }

  private static boolean replicaMatches(DataNode dn, ExtendedBlock block, byte[] expected) {
    byte[] actual = new byte[expected.length];
    try (InputStream in = dn.getFSDataset().getBlockInputStream(block, 0)) {
      IOUtils.readFully(in, actual, 0, actual.length);
      return Arrays.equals(expected, actual);
    } catch (IOException e) {
      return false;
    }
  }

  /** Asks the NameNode to recover a file's lease; false until it has been recovered. */
  protected static boolean recoverLease(DistributedFileSystem dfs,
      org.apache.hadoop.fs.Path file) {
    try {
      return dfs.recoverLease(file);
    } catch (IOException e) {
      return false;
    }
  }

  /** @return a volume of the dataset other than the one with {@code storageId} */
  protected static FsVolumeSpi otherVolume(FsDatasetSpi<?> dataset, String storageId)
      throws IOException {
    try (FsDatasetSpi.FsVolumeReferences volumes = dataset.getFsVolumeReferences()) {
      for (FsVolumeSpi volume : volumes) {
        if (!volume.getStorageID().equals(storageId)) {
          return volume;
        }
      }
    }
    throw new AssertionError("no second volume");
  }

  /**
   * Starts a DataNode in a child JVM and waits until the NameNode knows it: a restarted
   * DataNode listens on a new port, so until the NameNode reports a new one the old registration
   * is what it sees.
   */
  protected ChildDataNode startChildDataNode(Path confFile, Map<String, String> env,
      String mainClass) throws Exception {
    int previousPort = liveXferPort();
    ChildDataNode child = ChildDataNode.start(confFile, baseDir.resolve("datanode.log"), "256m",
        env, null, mainClass);
    waitFor("the DataNode process to register", 60_000,
        () -> child.isAlive() && liveXferPort() > 0 && liveXferPort() != previousPort);
    return child;
  }

  /** @return the transfer port of the one live DataNode the NameNode knows, or -1 */
  private int liveXferPort() {
    try {
      DatanodeInfo[] live = fs().getDataNodeStats(DatanodeReportType.LIVE);
      return live.length == 1 ? live[0].getXferPort() : -1;
    } catch (IOException e) {
      return -1;
    }
  }
}
