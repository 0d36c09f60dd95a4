package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.hdfs.pmem.store.MidPacketCrashDataNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The last partial chunk's checksum and the recorded length after a crash mid-packet: a real
 * DataNode process halts (as SIGKILL) just before or just after the block receiver overwrites
 * the checksum of a partial chunk that a new packet continues; restarted, with the file's lease
 * recovered, every byte must read back with checksums verified. Halting before the rewrite
 * failed while the receiver's early data flush recorded the longer length next to the old
 * checksum; halting after it failed while the restart scan did not repair the checksum.
 */
class PmemMidPacketCrashTest extends PmemClusterTestBase {
  private static final int FIRST = 1000;
  private static final int SECOND = 10;

  private ChildDataNode datanode;

  @AfterEach
  void killDataNode() throws InterruptedException {
    if (datanode != null) {
      datanode.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {MidPacketCrashDataNode.BEFORE_REWRITE,
      MidPacketCrashDataNode.AFTER_REWRITE})
  void everyByteReadsBackWithItsChecksumAfterACrashMidPacket(String haltAt) throws Exception {
    Configuration conf = newConf();
    conf.setInt(DFSConfigKeys.DFS_CLIENT_SOCKET_TIMEOUT_KEY, 10_000);
    cluster = new MiniDFSCluster.Builder(conf, baseDir.toFile()).numDataNodes(0).build();
    cluster.waitActive();
    Path dataDir = Files.createDirectories(baseDir.resolve("pmem-dn"));
    Path dnConf = ChildDataNode.writeConf(conf, cluster.getURI().toString(),
        "[NVDIMM]" + dataDir.toUri(), baseDir.resolve("dn-site.xml"));
    datanode = startChildDataNode(dnConf, Map.of(MidPacketCrashDataNode.HALT_AT, haltAt),
        MidPacketCrashDataNode.class.getName());
    fs().setStoragePolicy(new org.apache.hadoop.fs.Path("/"), "ALL_NVDIMM");
    // A DataNode that just registered may still refuse its first pipeline on a busy machine.
    waitFor("a first file written", 60_000, this::writesAFile);

    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path("/partial");
    byte[] written = data(FIRST + SECOND, 7);
    FSDataOutputStream out = fs().create(file, (short) 1);
    out.write(written, 0, FIRST);
    out.hsync();
    try {
      // Continues the partial chunk [512, 1000): its checksum is overwritten in place.
      out.write(written, FIRST, SECOND);
      out.hsync();
    } catch (IOException expected) {
      // The DataNode halted.
    }
    assertEquals(MidPacketCrashDataNode.HALTED, datanode.awaitExit(60),
        "the DataNode halted " + haltAt);
    try {
      out.close();
    } catch (IOException expected) {
      // Its pipeline is gone.
    }

    datanode = startChildDataNode(dnConf, Map.of(), DataNodeProcess.class.getName());
    DistributedFileSystem dfs = fs();
    waitFor("lease recovery of " + file, 90_000, () -> recoverLease(dfs, file));
    long length = dfs.getFileStatus(file).getLen();
    assertTrue(length >= FIRST, "hsync acknowledged " + FIRST + " bytes, " + length + " left");
    byte[] actual = new byte[(int) length];
    dfs.setVerifyChecksum(true);
    try (FSDataInputStream in = dfs.open(file)) {
      in.readFully(actual);
    }
    assertArrayEquals(Arrays.copyOf(written, (int) length), actual);
  }

  private boolean writesAFile() {
    try (FSDataOutputStream out = fs().create(new org.apache.hadoop.fs.Path("/first"), (short) 1)) {
      out.write(1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
