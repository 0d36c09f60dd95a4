package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.ShmTempDirFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeScanTest {
  private static final BlockFileLayout LAYOUT = BlockFileFixtures.LAYOUT;

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void restoresFinalizedAndRbwAndRecyclesTheRest() throws IOException {
    Path blocks = Files.createDirectories(dir.resolve("blocks"));
    write(blocks, new BlockFileHeader(BlockFileState.FINALIZED, 1, 1001, 5000, LAYOUT));
    write(blocks, new BlockFileHeader(BlockFileState.RBW, 2, 1002, 4096, LAYOUT));
    write(blocks, new BlockFileHeader(BlockFileState.TEMPORARY, 3, 1003, 100, LAYOUT));
    write(blocks, new BlockFileHeader(BlockFileState.FINALIZED, 4, 1004, 1, LAYOUT));
    BlockFileTest.corruptHeader(blocks.resolve("blk_4"));

    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 0)) {
      pool.start();
      List<PmemReplica> replicas = VolumeScan.scan(blocks, null, pool);
      replicas.sort(Comparator.comparingLong(PmemReplica::getBlockId));
      assertEquals(2, replicas.size());
      assertReplica(replicas.get(0), 1, 1001, ReplicaState.FINALIZED, 5000);
      assertReplica(replicas.get(1), 2, 1002, ReplicaState.RWR, 4096);
      assertEquals(1, pool.readyCount(), "the temporary replica's file was recycled");
      assertTrue(Files.exists(blocks.resolve("blk_4" + VolumeScan.CORRUPT_SUFFIX)));
      assertTrue(Files.exists(blocks.resolve("blk_4.meta" + VolumeScan.CORRUPT_SUFFIX)));
      for (PmemReplica replica : replicas) {
        replica.file().close();
      }
    }
  }

  @Test
  void quickRestartBeforeItsDeadlineKeepsTheReplicaBeingWritten() throws IOException {
    Path blocks = Files.createDirectories(dir.resolve("blocks"));
    write(blocks, new BlockFileHeader(BlockFileState.RBW, 5, 1005, 512, LAYOUT));
    write(blocks, new BlockFileHeader(BlockFileState.RBW, 6, 1006, 512, LAYOUT));
    long now = System.currentTimeMillis();
    Files.writeString(blocks.resolve("blk_5.restart"), Long.toString(now + 60_000));
    Files.writeString(blocks.resolve("blk_6.restart"), Long.toString(now - 1));
    Files.writeString(blocks.resolve("blk_7.restart"), Long.toString(now + 60_000));
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 0)) {
      pool.start();
      List<PmemReplica> replicas = VolumeScan.scan(blocks, null, pool);
      replicas.sort(Comparator.comparingLong(PmemReplica::getBlockId));
      assertReplica(replicas.get(0), 5, 1005, ReplicaState.RBW, 512);
      assertReplica(replicas.get(1), 6, 1006, ReplicaState.RWR, 512);
      for (String sidecar : new String[] {"blk_5.restart", "blk_6.restart", "blk_7.restart"}) {
        assertTrue(Files.notExists(blocks.resolve(sidecar)), sidecar + " consumed");
      }
      for (PmemReplica replica : replicas) {
        replica.file().close();
      }
    }
  }

  @Test
  void deletesHalvesOfSplitPairsAndSetsTheSingleFileLayoutAside() throws IOException {
    Path blocks = Files.createDirectories(dir.resolve("blocks"));
    write(blocks, new BlockFileHeader(BlockFileState.FINALIZED, 1, 1001, 5000, LAYOUT));
    // A crash between the two renames of a pair leaves a data file without meta file in one
    // directory and a free meta file without data file in the other.
    Files.write(blocks.resolve("blk_2"), new byte[4096]);
    write(blocks, BlockFileHeader.free(LAYOUT), "blk_3");
    Files.delete(blocks.resolve("blk_3"));
    BlockFileTest.writeSingleFileLayout(blocks.resolve("blk_4"));
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 0)) {
      pool.start();
      List<PmemReplica> replicas = VolumeScan.scan(blocks, null, pool);
      assertEquals(1, replicas.size());
      assertReplica(replicas.get(0), 1, 1001, ReplicaState.FINALIZED, 5000);
      replicas.get(0).file().close();
    }
    try (Stream<Path> left = Files.list(blocks)) {
      assertEquals(List.of("blk_1", "blk_1.meta", "blk_4" + VolumeScan.CORRUPT_SUFFIX),
          left.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  private static void assertReplica(PmemReplica replica, long id, long stamp,
      ReplicaState state, long length) {
    assertEquals(id, replica.getBlockId());
    assertEquals(stamp, replica.getGenerationStamp());
    assertEquals(state, replica.getState());
    assertEquals(length, replica.getNumBytes());
    assertEquals(length, replica.getBytesOnDisk());
  }

  private static void write(Path dir, BlockFileHeader header) throws IOException {
    write(dir, header, VolumeScan.fileName(header.blockId()));
  }

  private static void write(Path dir, BlockFileHeader header, String name) throws IOException {
    try (BlockFile file = BlockFile.create(dir.resolve(name), LAYOUT)) {
      file.writeHeader(header);
    }
  }
}
