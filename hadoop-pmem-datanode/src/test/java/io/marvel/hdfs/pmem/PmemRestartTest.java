package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.client.HdfsDataOutputStream;
import org.apache.hadoop.hdfs.protocol.BlockListAsLongs;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.DirectoryScanner;
import org.apache.hadoop.hdfs.server.protocol.DatanodeStorage;
import org.apache.hadoop.io.IOUtils;
import org.apache.hadoop.test.GenericTestUtils.LogCapturer;
import org.junit.jupiter.api.Test;

/** hflush/hsync visibility and a DataNode restart with finalized and RBW replicas on PMEM. */
class PmemRestartTest extends PmemClusterTestBase {

  @Test
  void hflushedBytesAreVisibleToNewReaders() throws Exception {
    startCluster(newConf(), 1);
    Path file = new Path("/visible");
    byte[] bytes = data(3 * BLOCK_SIZE / 2 + 99, 7);
    try (FSDataOutputStream out = fs().create(file, (short) 1)) {
      out.write(bytes, 0, 1000);
      out.hflush();
      assertArrayEquals(Arrays.copyOf(bytes, 1000), readPrefix(file, 1000));
      out.write(bytes, 1000, bytes.length - 1000);
      ((HdfsDataOutputStream) out).hsync();
      assertArrayEquals(bytes, readPrefix(file, bytes.length));
    }
    assertContent(file, bytes);
  }

  @Test
  void restartBringsBackFinalizedAndRbwReplicas() throws Exception {
    Configuration conf = newConf();
    startCluster(conf, 1);
    Path done = new Path("/done");
    byte[] doneBytes = data(2 * BLOCK_SIZE + 4321, 11);
    write(done, doneBytes, (short) 1);
    Path open = new Path("/open");
    byte[] openBytes = data(BLOCK_SIZE + 5000, 13);
    FSDataOutputStream out = fs().create(open, (short) 1);
    out.write(openBytes);
    ((HdfsDataOutputStream) out).hsync();

    restartKeepingPorts(cluster.stopDataNode(0));
    DataNode dn = cluster.getDataNodes().get(0);
    assertEquals(5, reportedBlocks(dn), "replicas the restarted DataNode reports");
    // The NameNode counts complete replicas only: the open file's last block is not one.
    waitFor("the NameNode to learn the restarted DataNode's 4 finalized replicas", 30_000,
        () -> knownBlocks(dn) == 4);

    assertContent(done, doneBytes);
    assertDirectoryScannerFindsNoMismatch(dn, conf);
    DistributedFileSystem dfs = fs();
    waitFor("lease recovery of " + open, 60_000, () -> recovered(dfs, open));
    assertContent(open, openBytes);
    // The writer lost its lease to the recovery: closing it fails, which is expected here.
    IOUtils.closeStream(out);
    byte[] more = data(1234, 19);
    try (FSDataOutputStream append = dfs.append(open)) {
      append.write(more);
    }
    byte[] all = Arrays.copyOf(openBytes, openBytes.length + more.length);
    System.arraycopy(more, 0, all, openBytes.length, more.length);
    assertContent(open, all);
    assertFsckHealthy(conf);
  }

  @Test
  void quickRestartForUpgradeKeepsTheWriterGoing() throws Exception {
    startCluster(newConf(), 1);
    Path file = new Path("/upgrade");
    byte[] bytes = data(2 * BLOCK_SIZE + 333, 17);
    try (FSDataOutputStream out = fs().create(file, (short) 1)) {
      out.write(bytes, 0, BLOCK_SIZE + 1000);
      out.hflush();
      restartKeepingPorts(cluster.stopDataNodeForUpgrade(0));
      out.write(bytes, BLOCK_SIZE + 1000, bytes.length - BLOCK_SIZE - 1000);
    }
    assertContent(file, bytes);
  }

  /**
   * The DirectoryScanner compares the stock volumes' block files with the dataset. PMEM block
   * files are not in the stock layout, so it does not see them; what matters is that it finds
   * no difference and leaves the PMEM replicas alone.
   */
  private void assertDirectoryScannerFindsNoMismatch(DataNode dn, Configuration conf)
      throws IOException {
    LogCapturer logs = LogCapturer.captureLogs(
        org.apache.log4j.Logger.getLogger(DirectoryScanner.class));
    try {
      new DirectoryScanner(dn.getFSDataset(), conf).reconcile();
      assertTrue(logs.getOutput().contains("missing metadata files: 0, missing block files: 0, "
          + "missing blocks in memory: 0, mismatched blocks: 0"), logs.getOutput());
    } finally {
      logs.stopCapturing();
    }
    assertEquals(5, reportedBlocks(dn), "replicas after the directory scan");
  }

  private long knownBlocks(DataNode dn) {
    try {
      return blocksKnownByNameNode(dn);
    } catch (IOException e) {
      return -1;
    }
  }

  private static boolean recovered(DistributedFileSystem dfs, Path file) {
    try {
      return dfs.recoverLease(file);
    } catch (IOException e) {
      return false;
    }
  }

  private long reportedBlocks(DataNode dn) {
    long count = 0;
    for (Map.Entry<DatanodeStorage, BlockListAsLongs> e
        : dn.getFSDataset().getBlockReports(cluster.getNamesystem().getBlockPoolId()).entrySet()) {
      count += e.getValue().getNumberOfBlocks();
    }
    return count;
  }

  /** @return the number of blocks the NameNode knows on {@code dn} */
  private long blocksKnownByNameNode(DataNode dn) throws IOException {
    return cluster.getNamesystem().getBlockManager().getDatanodeManager()
        .getDatanode(dn.getDatanodeId()).numBlocks();
  }

  private byte[] readPrefix(Path file, int length) throws IOException {
    byte[] bytes = new byte[length];
    try (FSDataInputStream in = fs().open(file)) {
      in.readFully(bytes);
    }
    return bytes;
  }
}
