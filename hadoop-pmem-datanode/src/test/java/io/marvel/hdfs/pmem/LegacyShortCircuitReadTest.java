package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.client.HdfsClientConfigKeys;
import org.apache.hadoop.hdfs.client.HdfsDataInputStream;
import org.apache.hadoop.hdfs.protocol.BlockLocalPathInfo;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.protocol.LocatedBlock;
import org.apache.hadoop.hdfs.server.datanode.BlockMetadataHeader;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.util.DataChecksum;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Legacy short-circuit local reads (path based, {@code dfs.client.use.legacy.blockreader.local})
 * of PMEM replicas: the client opens the data and meta files the DataNode names and reads them
 * without the DataNode.
 */
class LegacyShortCircuitReadTest extends PmemClusterTestBase {
  private static final int[] SIZES = {0, 1, 100, 511, 512, BLOCK_SIZE, BLOCK_SIZE + 1,
      3 * BLOCK_SIZE, 2 * BLOCK_SIZE + 777};

  @BeforeEach
  void startShortCircuitCluster() throws IOException {
    Configuration conf = newConf();
    conf.setBoolean(HdfsClientConfigKeys.Read.ShortCircuit.KEY, true);
    conf.setBoolean(HdfsClientConfigKeys.DFS_CLIENT_USE_LEGACY_BLOCKREADERLOCAL, true);
    // A client context of its own: the JVM's "default" one keeps the short-circuit settings of
    // the first client that made it (another test's, without short-circuit).
    conf.set(HdfsClientConfigKeys.DFS_CLIENT_CONTEXT, "legacy-short-circuit-read-test");
    conf.set(DFSConfigKeys.DFS_BLOCK_LOCAL_PATH_ACCESS_USER_KEY,
        UserGroupInformation.getCurrentUser().getShortUserName());
    startCluster(conf, 1);
  }

  @Test
  void readsFilesOfManySizesShortCircuitAndByteExact() throws Exception {
    for (int size : SIZES) {
      Path file = new Path("/sc/file-" + size);
      byte[] bytes = data(size, size);
      write(file, bytes, (short) 1);
      try (HdfsDataInputStream in = (HdfsDataInputStream) fs().open(file)) {
        byte[] read = new byte[size];
        in.readFully(read);
        assertEquals(-1, in.read(), "bytes after the end of " + file);
        assertArrayEquals(bytes, read, "content of " + file);
        assertEquals(size, in.getReadStatistics().getTotalShortCircuitBytesRead(),
            "bytes of " + file + " read short-circuit");
      }
    }
  }

  @Test
  void positionalReadsAreShortCircuitToo() throws Exception {
    Path file = new Path("/sc/pread");
    byte[] bytes = data(2 * BLOCK_SIZE + 777, 5);
    write(file, bytes, (short) 1);
    try (HdfsDataInputStream in = (HdfsDataInputStream) fs().open(file)) {
      byte[] read = new byte[1000];
      int at = BLOCK_SIZE - 300;
      in.readFully(at, read);
      assertArrayEquals(Arrays.copyOfRange(bytes, at, at + read.length), read);
      assertEquals(read.length, in.getReadStatistics().getTotalShortCircuitBytesRead());
    }
  }

  @Test
  void dataNodeNamesThePmemDataAndMetaFilesInTheStockFormats() throws Exception {
    Path file = new Path("/sc/paths");
    byte[] bytes = data(1000, 9);
    write(file, bytes, (short) 1);
    LocatedBlock located = fs().getClient().getLocatedBlocks(file.toString(), 0).get(0);
    ExtendedBlock block = located.getBlock();
    DataNode dn = cluster.getDataNodes().get(0);
    BlockLocalPathInfo info = dn.getFSDataset().getBlockLocalPathInfo(block);

    java.nio.file.Path dataFile = Paths.get(info.getBlockPath());
    assertEquals("blk_" + block.getBlockId(), dataFile.getFileName().toString());
    assertTrue(dataFile.toString().contains("/pmem/"), dataFile.toString());
    assertEquals(info.getBlockPath() + ".meta", info.getMetaPath());
    byte[] onDisk = Files.readAllBytes(dataFile);
    assertArrayEquals(bytes, Arrays.copyOf(onDisk, bytes.length));
    try (DataInputStream meta = new DataInputStream(new FileInputStream(info.getMetaPath()))) {
      DataChecksum checksum = BlockMetadataHeader.readHeader(meta).getChecksum();
      assertEquals(DataChecksum.Type.CRC32C, checksum.getChecksumType());
      byte[] sums = new byte[2 * checksum.getChecksumSize()];
      meta.readFully(sums);
      checksum.verifyChunkedSums(ByteBuffer.wrap(bytes), ByteBuffer.wrap(sums), file.toString(), 0);
    }
  }

  /** Appending grows a finalized data file back; closing trims it to the new length again. */
  @Test
  void appendedAndRestartedReplicasAreReadShortCircuit() throws Exception {
    Path file = new Path("/sc/appended");
    byte[] first = data(BLOCK_SIZE + 3000, 21);
    byte[] more = data(777, 22);
    write(file, first, (short) 1);
    try (FSDataOutputStream out = fs().append(file)) {
      out.write(more);
    }
    byte[] all = Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    assertReadShortCircuit(file, all);
    restartKeepingPorts(cluster.stopDataNode(0));
    cluster.waitFirstBRCompleted(0, 30_000);
    assertReadShortCircuit(file, all);
  }

  private void assertReadShortCircuit(Path file, byte[] expected) throws IOException {
    try (HdfsDataInputStream in = (HdfsDataInputStream) fs().open(file)) {
      byte[] read = new byte[expected.length];
      in.readFully(read);
      assertArrayEquals(expected, read, "content of " + file);
      assertEquals(expected.length, in.getReadStatistics().getTotalShortCircuitBytesRead());
    }
  }

  /**
   * HDFS never reads files under construction short-circuit (HDFS-2757): the visible bytes
   * after an hflush come through the DataNode, and short-circuit reads start once the file is
   * closed.
   */
  @Test
  void fileUnderConstructionIsReadThroughTheDataNodeUntilClosed() throws Exception {
    Path file = new Path("/sc/open");
    byte[] bytes = data(BLOCK_SIZE + 5000, 11);
    try (FSDataOutputStream out = fs().create(file, (short) 1)) {
      out.write(bytes);
      out.hflush();
      try (HdfsDataInputStream in = (HdfsDataInputStream) fs().open(file)) {
        byte[] read = new byte[bytes.length];
        in.readFully(read);
        assertArrayEquals(bytes, read);
        assertEquals(bytes.length, in.getReadStatistics().getTotalBytesRead());
        assertEquals(0, in.getReadStatistics().getTotalShortCircuitBytesRead());
      }
      LocatedBlock last = fs().getClient().getLocatedBlocks(file.toString(), 0)
          .getLastLocatedBlock();
      IOException e = assertThrows(IOException.class, () -> cluster.getDataNodes().get(0)
          .getFSDataset().getBlockLocalPathInfo(last.getBlock()));
      assertTrue(e.getMessage().endsWith("is not finalized; short-circuit reads need a finalized"
          + " replica, read it through the DataNode"), e.getMessage());
    }
    try (HdfsDataInputStream in = (HdfsDataInputStream) fs().open(file)) {
      byte[] read = new byte[bytes.length];
      in.readFully(read);
      assertArrayEquals(bytes, read);
      assertEquals(bytes.length, in.getReadStatistics().getTotalShortCircuitBytesRead());
    }
  }
}
