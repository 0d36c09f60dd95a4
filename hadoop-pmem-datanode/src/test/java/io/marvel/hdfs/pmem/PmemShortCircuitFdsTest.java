package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.hdfs.pmem.store.PmemReplica;
import io.marvel.hdfs.pmem.store.ReplicaFileInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.protocol.LocatedBlock;
import org.apache.hadoop.hdfs.server.datanode.BlockMetadataHeader;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.metrics2.AbstractMetric;
import org.apache.hadoop.metrics2.MetricsSource;
import org.apache.hadoop.metrics2.impl.MetricsCollectorImpl;
import org.apache.hadoop.metrics2.impl.MetricsRecordImpl;
import org.apache.hadoop.metrics2.lib.DefaultMetricsSystem;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.util.DataChecksum;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Short-circuit reads by descriptor passing: the DataNode's own
 * {@code requestShortCircuitFdsForRead} on the PMEM dataset yields descriptors of the data and
 * meta files, through which a client reads the block's bytes and a valid stock meta file. The
 * domain socket that would carry them needs libhadoop, which the build does not have, and
 * without it a DataNode disables descriptor passing. So the call goes, by reflection (it is
 * package-private), to a DataNode object made by Hadoop's test-only constructor, which leaves
 * descriptor passing enabled, over the cluster DataNode's dataset and metrics; what follows
 * the socket is the client's part and is done here with the descriptors directly.
 */
class PmemShortCircuitFdsTest extends PmemClusterTestBase {
  /** The block format version clients of HDFS 3.4 read (DataNode.CURRENT_BLOCK_FORMAT_VERSION). */
  private static final int BLOCK_FORMAT_VERSION = 1;
  private DataNode dataNode;
  private DataNode fdServer;

  @BeforeEach
  void startDataNode() throws IOException, ReflectiveOperationException {
    Configuration conf = newConf();
    startCluster(conf, 1);
    dataNode = cluster.getDataNodes().get(0);
    fdServer = testOnlyDataNode(conf);
    setField(fdServer, "data", dataNode.getFSDataset());
    setField(fdServer, "metrics", dataNode.getMetrics());
  }

  private static DataNode testOnlyDataNode(Configuration conf)
      throws ReflectiveOperationException {
    Constructor<DataNode> constructor =
        DataNode.class.getDeclaredConstructor(Configuration.class);
    constructor.setAccessible(true);
    return constructor.newInstance(conf);
  }

  private static void setField(DataNode dn, String name, Object value)
      throws ReflectiveOperationException {
    Field field = DataNode.class.getDeclaredField(name);
    field.setAccessible(true);
    field.set(dn, value);
  }

  /** Calls the DataNode's package-private {@code requestShortCircuitFdsForRead}. */
  private FileInputStream[] requestFds(ExtendedBlock block) throws Exception {
    Method request = DataNode.class.getDeclaredMethod("requestShortCircuitFdsForRead",
        ExtendedBlock.class, Token.class, int.class);
    request.setAccessible(true);
    try {
      return (FileInputStream[]) request.invoke(fdServer, block, null, BLOCK_FORMAT_VERSION);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  @Test
  void passedDescriptorsReadTheBlockAndAValidMetaFile() throws Exception {
    for (int size : new int[] {1, 511, 4096 + 3, BLOCK_SIZE}) {
      Path file = new Path("/fds/file-" + size);
      byte[] bytes = data(size, size);
      write(file, bytes, (short) 1);
      ExtendedBlock block = firstBlock(file);
      FileInputStream[] fds = requestFds(block);
      try {
        assertInstanceOf(ReplicaFileInputStream.class, fds[0]);
        assertArrayEquals(bytes, pread(fds[0], 0, size), "data through the descriptor");
        assertChecksumsMatch(fds[1], bytes);
      } finally {
        fds[0].close();
        fds[1].close();
      }
    }
  }

  /** The block sender's transferTo path, counted by a DataNode metric, is byte-exact. */
  @Test
  void dataNodeSendsPmemReplicasWithTransferToByteExact() throws Exception {
    long before = transferToPackets();
    Path file = new Path("/fds/read");
    byte[] bytes = data(3 * BLOCK_SIZE + 4321, 3);
    write(file, bytes, (short) 1);
    assertContent(file, bytes);
    assertTrue(transferToPackets() > before, "packets sent with transferTo");
    // On /dev/shm (the page cache) the socket got the replicas' pages, not a copy.
    String bpid = firstBlock(file).getBlockPoolId();
    PmemDataset dataset = (PmemDataset) dataNode.getFSDataset();
    List<PmemReplica> replicas = dataset.replicas().replicas(bpid);
    assertEquals(4, replicas.size(), replicas::toString);
    assertTrue(replicas.stream().allMatch(r -> r.file().hasLentPages()),
        "every replica read lent its pages to the DataNode's socket");
    try (var in = fs().open(file)) {
      byte[] read = new byte[70_000];
      in.readFully(BLOCK_SIZE + 12_345, read);
      assertArrayEquals(Arrays.copyOfRange(bytes, BLOCK_SIZE + 12_345,
          BLOCK_SIZE + 12_345 + read.length), read);
    }
  }

  /** @return packets the DataNode sent through {@code transferTo}, from its activity metrics */
  private long transferToPackets() {
    MetricsSource source = DefaultMetricsSystem.instance().getSource(
        dataNode.getMetrics().name());
    MetricsCollectorImpl collector = new MetricsCollectorImpl();
    source.getMetrics(collector, true);
    for (MetricsRecordImpl record : collector.getRecords()) {
      for (AbstractMetric metric : record.metrics()) {
        if (metric.name().equals("SendDataPacketTransferNanosNumOps")) {
          return metric.value().longValue();
        }
      }
    }
    throw new AssertionError("no SendDataPacketTransferNanosNumOps in " + source);
  }

  private ExtendedBlock firstBlock(Path file) throws IOException {
    LocatedBlock located = fs().getClient().getLocatedBlocks(file.toString(), 0).get(0);
    return located.getBlock();
  }

  /**
   * Reads through the descriptor, as a client that received it reads: the kernel's file. The
   * channel is not closed here, that would close the shared descriptor; the passed stream does.
   */
  private static byte[] pread(FileInputStream passed, long at, int length) throws IOException {
    FileChannel channel = descriptorChannel(passed);
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (channel.read(buf, at + buf.position()) < 0) {
        break;
      }
    }
    return buf.array();
  }

  private static FileChannel descriptorChannel(FileInputStream passed) throws IOException {
    return new FileInputStream(passed.getFD()).getChannel();
  }

  private static void assertChecksumsMatch(FileInputStream passedMeta, byte[] bytes)
      throws IOException {
    FileChannel channel = descriptorChannel(passedMeta);
    BlockMetadataHeader header = BlockMetadataHeader.preadHeader(channel);
    DataChecksum checksum = header.getChecksum();
    assertEquals(BlockMetadataHeader.VERSION, header.getVersion());
    int chunks = (bytes.length + checksum.getBytesPerChecksum() - 1)
        / checksum.getBytesPerChecksum();
    ByteBuffer sums = ByteBuffer.allocate(chunks * checksum.getChecksumSize());
    assertEquals(sums.capacity(), channel.read(sums, BlockMetadataHeader.getHeaderSize()));
    checksum.verifyChunkedSums(ByteBuffer.wrap(bytes), sums.flip(), "passed meta", 0);
  }
}
