package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.ShmTempDirFactory;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.util.DataChecksum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streams a block receiver writes through, and the errors they give. */
class ReplicaStreamsTest {
  private static final BlockFileLayout LAYOUT = BlockFileFixtures.LAYOUT;

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void dataFlushCommitsTheLengthDurably() throws IOException {
    Path path = dir.resolve("blk_9");
    try (BlockFile file = BlockFile.create(path, LAYOUT)) {
      file.writeHeader(new BlockFileHeader(BlockFileState.RBW, 9, 1, 0, LAYOUT));
      PmemReplica replica = new PmemReplica(9, 1, ReplicaState.RBW, 0, null, file);
      ReplicaDataOutput out = new ReplicaDataOutput(replica, file, 0);
      out.write(new byte[1000], 0, 1000);
      assertEquals(0, file.header().dataLength(), "not committed before flush");
      out.flush();
      assertEquals(1000, file.header().dataLength());
    }
    try (BlockFile file = BlockFile.open(path)) {
      assertEquals(1000, file.header().dataLength());
    }
  }

  @Test
  void blockLargerThanTheFileIsRefusedNamingTheKey() throws IOException {
    try (BlockFile file = BlockFile.create(dir.resolve("blk_9"), LAYOUT)) {
      PmemReplica replica = new PmemReplica(9, 1, ReplicaState.RBW, 0, null, file);
      ReplicaDataOutput out = new ReplicaDataOutput(replica, file, LAYOUT.dataCapacity() - 10);
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
      ReplicaMetaOutput meta = new ReplicaMetaOutput(file, 0);
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
