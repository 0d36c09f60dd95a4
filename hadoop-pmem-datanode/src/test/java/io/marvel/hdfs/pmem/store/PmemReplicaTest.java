package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.ShmTempDirFactory;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.BlockMetadataHeader;
import org.apache.hadoop.util.DataChecksum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Replica state changes and their persistence, on a real block file without a DataNode. */
class PmemReplicaTest {
  private static final BlockFileLayout LAYOUT = BlockFileFixtures.LAYOUT;
  private static final DataChecksum CRC =
      DataChecksum.newDataChecksum(DataChecksum.Type.CRC32C, 512);

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void finalizeAndReopenArePersisted() throws IOException {
    Path path = dir.resolve("blk_7");
    PmemReplica replica = rbwWith(path, 3000);
    replica.setNumBytes(3000);
    replica.finalizeReplica();
    assertEquals(ReplicaState.FINALIZED, replica.getState());
    assertEquals(3000, replica.getVisibleLength());
    replica.reopen(1002);
    assertEquals(ReplicaState.RBW, replica.getState());
    replica.file().close();
    try (BlockFile file = BlockFile.open(path)) {
      assertEquals(new BlockFileHeader(BlockFileState.RBW, 7, 1002, 3000, LAYOUT),
          file.header());
    }
  }

  @Test
  void finalizeTrimsTheDataFileAndReopenGivesTheCapacityBack() throws IOException {
    Path path = dir.resolve("blk_7");
    PmemReplica replica = rbwWith(path, 3000);
    replica.setNumBytes(3000);
    replica.finalizeReplica();
    assertEquals(3000, Files.size(path), "short-circuit readers read the data file to its end");
    assertEquals(3000 + LAYOUT.metaFileLength(), replica.file().bytesOnVolume());
    replica.reopen(1002);
    assertEquals(LAYOUT.dataFileLength(), Files.size(path));
    replica.file().writeData(LAYOUT.dataCapacity() - 1, new byte[] {5}, 0, 1);
    replica.file().close();
  }

  @Test
  void finalizedReplicaReopenedAfterARestartIsWritableToItsCapacity() throws IOException {
    Path path = dir.resolve("blk_7");
    PmemReplica replica = rbwWith(path, 3000);
    replica.setNumBytes(3000);
    replica.finalizeReplica();
    replica.file().close();
    try (BlockFile file = BlockFile.open(path)) {
      PmemReplica reopened = new PmemReplica(7, 1001, ReplicaState.FINALIZED, 3000, null, file);
      assertThrows(IndexOutOfBoundsException.class,
          () -> file.writeData(3000, new byte[1], 0, 1), "no store beyond the trimmed file");
      reopened.reopen(1002);
      file.writeData(LAYOUT.dataCapacity() - 1, new byte[] {5}, 0, 1);
      byte[] first = new byte[3000];
      file.readData(0, first, 0, first.length);
      assertEquals((byte) (2999 * 31 + 5), first[2999]);
    }
  }

  @Test
  void finalizeRefusesBytesNotWritten() throws IOException {
    PmemReplica replica = rbwWith(dir.resolve("blk_7"), 100);
    replica.setNumBytes(200);
    IOException e = assertThrows(IOException.class, replica::finalizeReplica);
    assertTrue(e.getMessage().contains("200 bytes received but 100 written"), e.getMessage());
    replica.file().close();
  }

  @Test
  void truncateRewritesTheLastPartialChecksum() throws IOException {
    PmemReplica replica = rbwWith(dir.resolve("blk_7"), 3000);
    replica.truncate(1300);
    assertEquals(1300, replica.getBytesOnDisk());
    assertEquals(1300, replica.file().header().dataLength());
    assertEquals(7 + 3 * 4, replica.metaLength());
    byte[] data = new byte[1300];
    replica.file().readData(0, data, 0, data.length);
    byte[] sums = new byte[3 * 4];
    replica.file().readMeta(7, sums, 0, sums.length);
    CRC.verifyChunkedSums(ByteBuffer.wrap(data), ByteBuffer.wrap(sums), "blk_7", 0);
    replica.file().close();
  }

  /**
   * A crash after the receiver rewrote the last partial chunk's checksum for a longer packet but
   * before it recorded the longer length: the restart scan makes the checksum match the
   * recorded length again.
   */
  @Test
  void restartScanRepairsTheLastPartialChecksumOfTheRecordedLength() throws IOException {
    Path blocks = Files.createDirectories(dir.resolve("blocks"));
    PmemReplica replica = rbwWith(blocks.resolve("blk_7"), 1000);
    byte[] longer = new byte[1010 - 512];
    for (int i = 0; i < longer.length; i++) {
      longer[i] = (byte) ((i + 512) * 31 + 5);
    }
    byte[] sum = new byte[4];
    CRC.calculateChunkedSums(longer, 0, longer.length, sum, 0);
    replica.file().writeData(1000, longer, 1000 - 512, 10);
    replica.file().writeMeta(7 + 4, sum, 0, 4);
    replica.file().close();

    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 0)) {
      pool.start();
      PmemReplica restarted = VolumeScan.scan(blocks, null, pool).get(0);
      assertEquals(1000, restarted.getBytesOnDisk());
      byte[] data = new byte[1000];
      restarted.file().readData(0, data, 0, data.length);
      byte[] sums = new byte[2 * 4];
      restarted.file().readMeta(7, sums, 0, sums.length);
      CRC.verifyChunkedSums(ByteBuffer.wrap(data), ByteBuffer.wrap(sums), "blk_7", 0);
      assertFalse(restarted.repairLastChunkChecksum(), "repaired once, durably");
      restarted.file().close();
    }
  }

  /**
   * A crash just before or just after truncate rewrites the new last partial chunk's checksum
   * (a full chunk's until then): after the restart scan every checksum up to the recorded length
   * matches. Rewriting before recording the shorter length failed the second case: the old
   * length's full chunk had lost its checksum.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void truncateCutShortByACrashLeavesMatchingChecksums(boolean crashBeforeRewrite)
      throws IOException {
    Path blocks = Files.createDirectories(dir.resolve("blocks"));
    PmemReplica replica = rbwWith(blocks.resolve("blk_7"), 3000);
    truncateUntilACrash(replica, 1300, crashBeforeRewrite);

    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 0)) {
      pool.start();
      PmemReplica restarted = VolumeScan.scan(blocks, null, pool).get(0);
      verifyEveryChecksum(restarted);
      restarted.file().close();
    }
  }

  /**
   * hdfs dfs -truncate recovers a finalized replica in place: the shorter length is recorded
   * before the new last chunk's checksum is written and before the data file is trimmed. A crash
   * anywhere in between must leave a replica that is served and whose checksums all match, not
   * one set aside as corrupt for a data file longer than its finalized length.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void truncateOfAFinalizedReplicaCutShortByACrashLeavesItServedWithMatchingChecksums(
      boolean crashBeforeRewrite) throws IOException {
    Path blocks = Files.createDirectories(dir.resolve("blocks"));
    PmemReplica replica = rbwWith(blocks.resolve("blk_7"), 3000);
    replica.finalizeReplica();
    replica.startRecovery(2000);
    truncateUntilACrash(replica, 1300, crashBeforeRewrite);

    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 0)) {
      pool.start();
      List<PmemReplica> found = VolumeScan.scan(blocks, null, pool);
      assertEquals(1, found.size(), "the replica is served, not set aside");
      PmemReplica restarted = found.get(0);
      assertEquals(1300, restarted.getBytesOnDisk());
      verifyEveryChecksum(restarted);
      assertEquals(1300, Files.size(blocks.resolve("blk_7")), "trimmed to its length");
      restarted.file().close();
    }
  }

  /** Truncates, with the process "dying" just before or just after the checksum rewrite. */
  private static void truncateUntilACrash(PmemReplica replica, long newLength,
      boolean crashBeforeRewrite) throws IOException {
    PmemFaultInjector.set(new PmemFaultInjector() {
      @Override
      void beforeChecksumRewrite(Path metaFile) {
        if (crashBeforeRewrite) {
          throw new Crash();
        }
      }

      @Override
      void afterChecksumRewrite(Path metaFile) {
        throw new Crash();
      }
    });
    try {
      assertThrows(Crash.class, () -> replica.truncate(newLength));
    } finally {
      PmemFaultInjector.set(new PmemFaultInjector());
    }
    replica.file().close();
  }

  /** Reads the replica's data and checksums up to its length and verifies every chunk. */
  private static void verifyEveryChecksum(PmemReplica replica) throws IOException {
    int length = (int) replica.getBytesOnDisk();
    byte[] data = new byte[length];
    replica.file().readData(0, data, 0, length);
    byte[] sums = new byte[(length + 511) / 512 * 4];
    replica.file().readMeta(7, sums, 0, sums.length);
    CRC.verifyChunkedSums(ByteBuffer.wrap(data), ByteBuffer.wrap(sums), "blk_7", 0);
  }

  /** Stands for the DataNode process dying at a fault hook. */
  private static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void recoveryReportsTheOriginalStateAndFinalizesWithTheRecoveryId() throws IOException {
    PmemReplica replica = rbwWith(dir.resolve("blk_7"), 1000);
    assertEquals(ReplicaState.RBW, replica.startRecovery(2000).getOriginalReplicaState());
    assertEquals(ReplicaState.RUR, replica.getState());
    assertEquals(2000, replica.getRecoveryId());
    replica.completeRecovery(2000);
    assertEquals(ReplicaState.FINALIZED, replica.getState());
    assertEquals(2000, replica.file().header().generationStamp());
    assertEquals(BlockFileState.FINALIZED, replica.file().header().state());
    replica.file().close();
  }

  @Test
  void waitForMinLengthTimesOutWithTheLengths() throws IOException {
    PmemReplica replica = rbwWith(dir.resolve("blk_7"), 10);
    IOException e = assertThrows(IOException.class,
        () -> replica.waitForMinLength(20, 10, java.util.concurrent.TimeUnit.MILLISECONDS));
    assertTrue(e.getMessage().contains("need 20 bytes but only 10"), e.getMessage());
    replica.file().close();
  }

  /** An RBW replica holding {@code length} bytes with valid CRC32C checksums. */
  private static PmemReplica rbwWith(Path path, int length) throws IOException {
    BlockFile file = BlockFile.create(path, LAYOUT);
    file.writeHeader(new BlockFileHeader(BlockFileState.RBW, 7, 1001, 0, LAYOUT));
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = (byte) (i * 31 + 5);
    }
    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    BlockMetadataHeader.writeHeader(new DataOutputStream(meta), CRC);
    byte[] sums = new byte[(length + 511) / 512 * 4];
    CRC.calculateChunkedSums(data, 0, length, sums, 0);
    meta.write(sums);
    byte[] metaBytes = meta.toByteArray();
    file.writeData(0, data, 0, length);
    file.writeMeta(0, metaBytes, 0, metaBytes.length);
    file.commitLength(length);
    PmemReplica replica = new PmemReplica(7, 1001, ReplicaState.RBW, 0, null, file);
    replica.setLastChecksumAndDataLen(length, null);
    replica.setNumBytes(length);
    replica.setBytesAcked(length);
    return replica;
  }
}
