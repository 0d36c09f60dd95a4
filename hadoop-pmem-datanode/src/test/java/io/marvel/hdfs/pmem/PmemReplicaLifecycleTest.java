package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.protocol.LocatedBlock;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.junit.jupiter.api.Test;

/** Append, truncate, pipeline recovery and corruption of PMEM replicas. */
class PmemReplicaLifecycleTest extends PmemClusterTestBase {

  @Test
  void appendsToFinalizedBlocks() throws Exception {
    startCluster(newConf(), 1);
    Path file = new Path("/append");
    byte[] bytes = data(2 * BLOCK_SIZE + 3000, 21);
    write(file, Arrays.copyOf(bytes, 1000), (short) 1);
    int[] cuts = {1000, 1513, BLOCK_SIZE + 7, bytes.length};
    for (int i = 1; i < cuts.length; i++) {
      try (FSDataOutputStream out = fs().append(file)) {
        out.write(bytes, cuts[i - 1], cuts[i] - cuts[i - 1]);
      }
      assertContent(file, Arrays.copyOf(bytes, cuts[i]));
    }
  }

  @Test
  void truncatesInsideABlock() throws Exception {
    startCluster(newConf(), 1);
    Path file = new Path("/truncate");
    byte[] bytes = data(2 * BLOCK_SIZE + BLOCK_SIZE / 2, 22);
    write(file, bytes, (short) 1);
    int length = BLOCK_SIZE + 12345;
    DistributedFileSystem dfs = fs();
    if (!dfs.truncate(file, length)) {
      waitFor("truncate recovery of " + file, 60_000, () -> isClosed(dfs, file));
    }
    assertContent(file, Arrays.copyOf(bytes, length));
    try (FSDataOutputStream out = dfs.append(file)) {
      out.write(bytes, length, 1000);
    }
    assertContent(file, Arrays.copyOf(bytes, length + 1000));
  }

  @Test
  void pipelineRecoversWhenADataNodeDies() throws Exception {
    Configuration conf = newConf();
    conf.setBoolean("dfs.client.block.write.replace-datanode-on-failure.enable", false);
    startCluster(conf, 3);
    Path file = new Path("/pipeline");
    byte[] bytes = data(2 * BLOCK_SIZE + 999, 23);
    FSDataOutputStream out = fs().create(file, (short) 3);
    try {
      out.write(bytes, 0, BLOCK_SIZE + 100);
      out.hflush();
      String victim = fs().getClient().getLocatedBlocks(file.toString(), 0).getLastLocatedBlock()
          .getLocations()[1].getXferAddr();
      assertTrue(cluster.stopDataNode(victim) != null, "stopping " + victim);
      out.write(bytes, BLOCK_SIZE + 100, bytes.length - BLOCK_SIZE - 100);
    } finally {
      out.close();
    }
    assertContent(file, bytes);
  }

  @Test
  void corruptReplicaIsDetectedAndReplaced() throws Exception {
    startCluster(newConf(), 3);
    Path file = new Path("/corrupt");
    byte[] bytes = data(BLOCK_SIZE / 2, 24);
    write(file, bytes, (short) 2);
    LocatedBlock block = fs().getClient().getLocatedBlocks(file.toString(), 0).get(0);
    DataNode bad = cluster.getDataNode(block.getLocations()[0].getIpcPort());
    ExtendedBlock eb = block.getBlock();
    flipDataByte(bad, eb, 100);

    // Readers pick either replica; a read that meets the bad one fails its checksums, falls
    // back to the good replica and reports the bad one. The NameNode copies the good replica to
    // the third DataNode, then has the corrupt one deleted.
    waitFor("the corrupt replica on " + bad + " to be detected and replaced", 60_000, () -> {
      readAndCheck(file, bytes);
      return !bad.getFSDataset().contains(eb) && goodReplicas(eb, bytes) == 2;
    });
  }

  private void readAndCheck(Path file, byte[] bytes) {
    try {
      assertContent(file, bytes);
    } catch (IOException e) {
      throw new AssertionError("reading " + file + " failed", e);
    }
  }

  private static boolean isClosed(DistributedFileSystem dfs, Path file) {
    try {
      return dfs.isFileClosed(file);
    } catch (IOException e) {
      return false;
    }
  }
}
