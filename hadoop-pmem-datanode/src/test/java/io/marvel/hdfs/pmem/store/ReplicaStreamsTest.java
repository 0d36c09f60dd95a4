package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.ShmTempDirFactory;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.BlockMetadataHeader;
import org.apache.hadoop.util.DataChecksum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streams a block receiver writes through, and the errors they give. */
class ReplicaStreamsTest {
  private static final BlockFileLayout LAYOUT = BlockFileFixtures.LAYOUT;
  private static final DataChecksum CRC =
      DataChecksum.newDataChecksum(DataChecksum.Type.CRC32C, 512);

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void dataFlushCommitsTheLengthDurably() throws IOException {
    Path path = dir.resolve("blk_9");
    byte[] data = data(1000);
    try (BlockFile file = BlockFile.create(path, LAYOUT)) {
      Streams streams = rbwStreams(file);
      ReplicaMetaOutput checksums = streams.checksums();
      ReplicaDataOutput out = streams.data();
      out.write(data, 0, 1000);
      checksums.write(sums(data, 0, 1000));
      assertEquals(0, file.header().dataLength(), "not committed before flush");
      out.flush();
      assertEquals(1000, file.header().dataLength());
    }
    try (BlockFile file = BlockFile.open(path)) {
      assertEquals(1000, file.header().dataLength());
    }
  }

  /** The benchmark's timing hooks: one "packet data" per packet, however many writes it takes. */
  @Test
  void timingHooksRunOncePerPacket() throws IOException {
    StringBuilder calls = new StringBuilder();
    PmemFaultInjector.set(new PmemFaultInjector() {
      @Override
      void beforePacketData() {
        calls.append('d');
      }

      @Override
      void afterPacketFlush() {
        calls.append('f');
      }
    });
    byte[] data = data(1024);
    try (BlockFile file = BlockFile.create(dir.resolve("blk_9"), LAYOUT)) {
      Streams streams = rbwStreams(file);
      for (int packet = 0; packet < 2; packet++) {
        streams.data().write(data, packet * 512, 256);
        streams.data().write(data, packet * 512 + 256, 256);
        streams.checksums().write(sums(data, packet * 512, packet * 512 + 512));
        streams.data().flush();
      }
      assertEquals("dfdf", calls.toString());
      assertEquals(1024, file.header().dataLength());
    } finally {
      PmemFaultInjector.set(new PmemFaultInjector());
    }
  }

  /**
   * The block receiver's order when a packet continues a partial chunk: data, a flush of the
   * data (before it steps back over the old checksum), the rewritten checksum, a flush. The
   * first flush must not record the longer length next to the old checksum.
   */
  @Test
  void aFlushBeforeThePartialChunksChecksumIsRewrittenRecordsNothing() throws IOException {
    byte[] data = data(1010);
    try (BlockFile file = BlockFile.create(dir.resolve("blk_9"), LAYOUT)) {
      Streams streams = rbwStreams(file);
      ReplicaMetaOutput checksums = streams.checksums();
      ReplicaDataOutput out = streams.data();
      out.write(data, 0, 1000);
      checksums.write(sums(data, 0, 1000));
      out.flush();
      assertEquals(1000, file.header().dataLength());

      out.write(data, 1000, 10);
      out.flush();
      assertEquals(1000, file.header().dataLength(), "the old checksum is still in place");
      checksums.rewind(4);
      checksums.write(sums(data, 512, 1010));
      out.flush();
      assertEquals(1010, file.header().dataLength());
      byte[] stored = new byte[7 + 2 * 4];
      file.readMeta(0, stored, 0, stored.length);
      CRC.verifyChunkedSums(ByteBuffer.wrap(data), ByteBuffer.wrap(stored, 7, 8), "blk_9", 0);
    }
  }

  /** The block receiver's two streams of a new RBW replica, the meta header written. */
  private record Streams(ReplicaDataOutput data, ReplicaMetaOutput checksums) {
  }

  private static Streams rbwStreams(BlockFile file) throws IOException {
    file.writeHeader(new BlockFileHeader(BlockFileState.RBW, 9, 1, 0, LAYOUT));
    PmemReplica replica = new PmemReplica(9, 1, ReplicaState.RBW, 0, null, file);
    ReplicaMetaOutput checksums = new ReplicaMetaOutput(file, CRC, 0);
    ReplicaDataOutput out = new ReplicaDataOutput(replica, file, checksums, 0);
    BlockMetadataHeader.writeHeader(new DataOutputStream(checksums), CRC);
    return new Streams(out, checksums);
  }

  private static byte[] data(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }

  /** The checksums of the chunks of {@code data[from, to)}, {@code from} on a chunk start. */
  private static byte[] sums(byte[] data, int from, int to) {
    byte[] sums = new byte[(to - from + 511) / 512 * 4];
    CRC.calculateChunkedSums(data, from, to - from, sums, 0);
    return sums;
  }

  @Test
  void blockLargerThanTheFileIsRefusedNamingTheKey() throws IOException {
    try (BlockFile file = BlockFile.create(dir.resolve("blk_9"), LAYOUT)) {
      PmemReplica replica = new PmemReplica(9, 1, ReplicaState.RBW, 0, null, file);
      ReplicaDataOutput out = new ReplicaDataOutput(replica, file,
          new ReplicaMetaOutput(file, CRC, 0), LAYOUT.dataCapacity() - 10);
      IOException e = assertThrows(IOException.class, () -> out.write(new byte[11], 0, 11));
      assertEquals("block 9 outgrows its PMEM block file " + file.path() + ": 65537 bytes > "
          + "capacity 65536; raise dfs.datanode.pmem.block-capacity to the largest block size "
          + "clients use", e.getMessage());
    }
  }

  @Test
  void checksumsTooFineForTheLayoutAreRefused() throws IOException {
    try (BlockFile file = BlockFile.create(dir.resolve("blk_9"), LAYOUT)) {
      PmemReplica replica = new PmemReplica(9, 1, ReplicaState.RBW, 0, null, file);
      DataChecksum fine = DataChecksum.newDataChecksum(DataChecksum.Type.CRC32C, 64);
      IOException e = assertThrows(IOException.class, () -> replica.createStreams(true, fine));
      assertTrue(e.getMessage().contains("checksums of 4 bytes every 64 bytes need 4103 bytes of "
          + "meta data but PMEM block file " + file.path() + " has room for 519; lower "
          + "dfs.datanode.pmem.min-bytes-per-checksum"), e.getMessage());
    }
  }

  @Test
  void metaRewindStepsBackOverTheLastChecksum() throws IOException {
    try (BlockFile file = BlockFile.create(dir.resolve("blk_9"), LAYOUT)) {
      ReplicaMetaOutput meta = new ReplicaMetaOutput(file, CRC, 0);
      meta.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 0, 11);
      meta.rewind(4);
      meta.write(new byte[] {42, 42, 42, 42}, 0, 4);
      byte[] read = new byte[11];
      file.readMeta(0, read, 0, 11);
      assertEquals(42, read[7]);
      IOException e = assertThrows(IOException.class, () -> meta.rewind(12));
      assertTrue(e.getMessage().contains("cannot rewind"), e.getMessage());
    }
  }
}
