package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.client.HdfsDataOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durability of hsync under SIGKILL: a real PMEM DataNode runs in its own JVM; a client writes
 * and hsyncs records, noting what each hsync acknowledged; the DataNode is killed mid-stream
 * and restarted on the same volume; after lease recovery every acknowledged byte must be there.
 */
class PmemCrashTest extends PmemClusterTestBase {
  private static final Logger LOG = LoggerFactory.getLogger(PmemCrashTest.class);
  private static final int ROUNDS = 3;
  private static final int RECORD = 4096;

  private ChildDataNode datanode;

  @AfterEach
  void killDataNode() throws InterruptedException {
    if (datanode != null) {
      datanode.close();
    }
  }

  @Test
  void everyHsyncedByteSurvivesSigkillOfTheDataNode() throws Exception {
    Configuration conf = newConf();
    conf.setInt(DFSConfigKeys.DFS_CLIENT_SOCKET_TIMEOUT_KEY, 10_000);
    cluster = new MiniDFSCluster.Builder(conf, baseDir.toFile()).numDataNodes(0).build();
    cluster.waitActive();
    Path dnConf = writeDataNodeConf(conf);
    datanode = startChildDataNode(dnConf, Map.of(), DataNodeProcess.class.getName());
    fs().setStoragePolicy(new org.apache.hadoop.fs.Path("/"), "ALL_NVDIMM");
    Random random = new Random(42);
    for (int round = 0; round < ROUNDS; round++) {
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path("/crash-" + round);
      byte[] written = data(8 * BLOCK_SIZE, round);
      AtomicLong acked = new AtomicLong();
      Thread writer = new Thread(() -> writeUntilFailure(file, written, acked), "writer");
      writer.start();
      long killAfter = 1 + random.nextInt(BLOCK_SIZE / RECORD * 2);
      waitFor("the writer to hsync " + killAfter + " records", 60_000,
          () -> acked.get() >= killAfter * RECORD || !writer.isAlive());
      datanode.close();
      writer.join(120_000);
      long durable = acked.get();
      datanode = startChildDataNode(dnConf, Map.of(), DataNodeProcess.class.getName());
      DistributedFileSystem dfs = fs();
      waitFor("lease recovery of " + file, 90_000, () -> recoverLease(dfs, file));
      long length = dfs.getFileStatus(file).getLen();
      LOG.info("Round {}: hsync acknowledged {} bytes before SIGKILL; {} bytes recovered", round,
          durable, length);
      assertTrue(length >= durable, "round " + round + ": file has " + length
          + " bytes but hsync acknowledged " + durable);
      byte[] actual = new byte[(int) length];
      try (FSDataInputStream in = dfs.open(file)) {
        in.readFully(actual);
      }
      assertArrayEquals(Arrays.copyOf(written, (int) length), actual,
          "round " + round + ": content after recovery");
    }
  }

  private void writeUntilFailure(org.apache.hadoop.fs.Path file, byte[] bytes, AtomicLong acked) {
    try (FSDataOutputStream out = fs().create(file, (short) 1)) {
      for (int at = 0; at < bytes.length; at += RECORD) {
        out.write(bytes, at, RECORD);
        ((HdfsDataOutputStream) out).hsync();
        acked.set(at + RECORD);
      }
    } catch (IOException expected) {
      // The DataNode was killed: what hsync acknowledged before is what must survive.
    }
  }

  private Path writeDataNodeConf(Configuration clusterConf) throws IOException {
    Path dataDir = Files.createDirectories(baseDir.resolve("pmem-dn"));
    return ChildDataNode.writeConf(clusterConf, cluster.getURI().toString(),
        "[NVDIMM]" + dataDir.toUri(), baseDir.resolve("dn-site.xml"));
  }
}
