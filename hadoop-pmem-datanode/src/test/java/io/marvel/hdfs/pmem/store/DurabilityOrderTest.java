package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.ShmTempDirFactory;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability calls each replica state change makes, in order, and what a power cut right
 * after the change leaves: the image {@link PowerCut} copies is scanned as a restarted
 * DataNode scans its volume.
 */
class DurabilityOrderTest {
  private static final BlockFileLayout LAYOUT = BlockFileFixtures.LAYOUT;
  private static final long STAMP = 1001;

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  private Path volume;
  private Path blocks;
  private Path poolDir;
  private PowerCut cut;
  private int images;

  @BeforeEach
  void createVolume() throws IOException {
    volume = Files.createDirectories(dir.resolve("volume"));
    blocks = volume.resolve("blocks");
    poolDir = volume.resolve("pool");
    cut = new PowerCut(volume, p -> p.equals(blocks) || p.equals(poolDir));
    cut.createDirectories(blocks);
  }

  @Test
  void createSyncsTheNewFilesAndTheirDirectoryBeforeTheHeaderNamesTheReplica()
      throws Exception {
    try (BlockFilePool pool = new BlockFilePool(poolDir, LAYOUT, 0, cut)) {
      pool.start();
      cut.clearCalls();
      PmemReplica replica = createRbw(pool, 1);
      assertEquals(List.of("file blocks/blk_1", "file blocks/blk_1.meta", "dir blocks"),
          cut.calls());
      byte[] bytes = write(replica, 1000);
      assertRestoredAfterPowerCut(1, ReplicaState.RWR, bytes);
      replica.file().close();
    }
  }

  @Test
  void takingAPreparedFileSyncsTheBlockDirectoryThenThePool() throws Exception {
    try (BlockFilePool pool = new BlockFilePool(poolDir, LAYOUT, 1, cut)) {
      pool.start();
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 1);
      cut.clearCalls();
      PmemReplica replica = createRbw(pool, 2);
      // The preparer makes the next pool file meanwhile; its own calls are not the take's.
      assertEquals(List.of("dir blocks", "dir pool"), cut.calls().stream()
          .filter(call -> !call.startsWith("file pool/")).toList());
      byte[] bytes = write(replica, 1000);
      assertRestoredAfterPowerCut(2, ReplicaState.RWR, bytes);
      replica.file().close();
    }
  }

  @Test
  void finalizeNeedsNoSyncTheReplicaWasDurablyNamedWhenCreated() throws Exception {
    try (BlockFilePool pool = new BlockFilePool(poolDir, LAYOUT, 0, cut)) {
      pool.start();
      PmemReplica replica = createRbw(pool, 3);
      byte[] bytes = write(replica, 3000);
      cut.clearCalls();
      replica.finalizeReplica();
      assertEquals(List.of(), cut.calls());
      // The trim is not synced: the image's data file has the full capacity, trimmed on open.
      assertRestoredAfterPowerCut(3, ReplicaState.FINALIZED, bytes);
      replica.file().close();
    }
  }

  @Test
  void appendSyncsTheGrownDataFileBeforeTheHeaderSaysRbw() throws Exception {
    try (BlockFilePool pool = new BlockFilePool(poolDir, LAYOUT, 0, cut)) {
      pool.start();
      PmemReplica replica = createRbw(pool, 4);
      write(replica, 3000);
      replica.finalizeReplica();
      cut.commitAll();
      cut.clearCalls();
      replica.reopen(STAMP + 1);
      assertEquals(List.of("file blocks/blk_4"), cut.calls());
      byte[] bytes = write(replica, 5000);
      assertRestoredAfterPowerCut(4, ReplicaState.RWR, bytes);
      replica.file().close();
    }
  }

  @Test
  void recycleRenamesAFreeFileDurablyIntoThePool() throws Exception {
    try (BlockFilePool pool = new BlockFilePool(poolDir, LAYOUT, 1, cut)) {
      pool.start();
      PmemReplica replica = createRbw(pool, 5);
      write(replica, 1000);
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 1);
      pool.drainReady();
      cut.clearCalls();
      pool.recycle(replica.file());
      assertEquals(1, pool.readyCount());
      assertEquals(List.of("dir pool", "dir blocks"), cut.calls());
      Path image = dir.resolve("image");
      cut.image(image);
      try (BlockFilePool restarted = new BlockFilePool(image.resolve("pool"), LAYOUT, 0)) {
        restarted.start();
        assertEquals(List.of(), VolumeScan.scan(image.resolve("blocks"), null, restarted));
        assertEquals(1, restarted.readyCount(), "the file is free in the pool");
      }
    }
  }

  @Test
  void aTrimmedFileRecycledIsFreeInThePoolAfterAPowerCutBeforeItIsGrownBack()
      throws Exception {
    // Quiet never comes: the preparer does not grow the recycled file back before the cut.
    try (BlockFilePool pool = new BlockFilePool(poolDir, LAYOUT, 0,
        TimeUnit.HOURS.toNanos(1), cut)) {
      pool.start();
      PmemReplica replica = createRbw(pool, 6);
      write(replica, 1000);
      replica.finalizeReplica();
      cut.commitAll();
      cut.clearCalls();
      pool.recycle(replica.file());
      assertEquals(List.of("dir pool", "dir blocks"), cut.calls(), "nothing grown, synced");
      for (boolean trimmedInImage : new boolean[] {true, false}) {
        Path image = dir.resolve("image-" + trimmedInImage);
        cut.image(image);
        if (trimmedInImage) {
          // The trim was not synced; a file system may have kept it anyway.
          try (DirectoryStream<Path> free = Files.newDirectoryStream(image.resolve("pool"),
              "free-*[0-9]")) {
            for (Path data : free) {
              DataFileLength.truncate(data, 1000);
            }
          }
        }
        // Not grown back by its preparer either (the volume is busy from the start for an
        // hour): the take does it.
        try (BlockFilePool restarted = new BlockFilePool(image.resolve("pool"), LAYOUT, 0,
            TimeUnit.HOURS.toNanos(1), Durability.FSYNC)) {
          restarted.noteActivity();
          restarted.start();
          assertEquals(List.of(), VolumeScan.scan(image.resolve("blocks"), null, restarted));
          assertEquals(1, restarted.readyCount(), "the file is free in the pool");
          try (BlockFile again = restarted.take(image.resolve("blocks").resolve("blk_7"))) {
            assertEquals(BlockFileState.FREE, again.header().state());
            assertTrue(again.hasFullDataFile());
          }
        }
      }
    }
  }

  @Test
  void poolSetsAsideAFileHoldingAReplicaInsteadOfDeletingIt() throws IOException {
    Files.createDirectories(poolDir);
    Path stray = poolDir.resolve("free-7");
    try (BlockFile file = BlockFile.create(stray, LAYOUT)) {
      file.writeHeader(new BlockFileHeader(BlockFileState.RBW, 7, STAMP, 0, LAYOUT));
    }
    try (BlockFilePool pool = new BlockFilePool(poolDir, LAYOUT, 0, cut)) {
      pool.start();
      assertEquals(0, pool.readyCount());
    }
    assertTrue(Files.exists(poolDir.resolve("free-7.corrupt")));
    assertTrue(Files.exists(poolDir.resolve("free-7.meta.corrupt")));
  }

  private PmemReplica createRbw(BlockFilePool pool, long blockId) throws IOException {
    BlockFile file = pool.take(blocks.resolve(VolumeScan.fileName(blockId)));
    file.writeHeader(new BlockFileHeader(BlockFileState.RBW, blockId, STAMP, 0, LAYOUT));
    return new PmemReplica(blockId, STAMP, ReplicaState.RBW, 0, null, file);
  }

  /** Writes the replica's data up to {@code length} bytes and commits it, as a packet would. */
  private static byte[] write(PmemReplica replica, int length) throws IOException {
    byte[] bytes = new byte[length];
    new Random(replica.getBlockId()).nextBytes(bytes);
    long from = replica.getBytesOnDisk();
    replica.file().writeData(from, bytes, (int) from, (int) (length - from));
    replica.file().commitLength(length);
    replica.setLastChecksumAndDataLen(length, null);
    replica.setNumBytes(length);
    return bytes;
  }

  /** Cuts the power now, scans the image and checks it holds the replica as expected. */
  private void assertRestoredAfterPowerCut(long blockId, ReplicaState state, byte[] bytes)
      throws IOException {
    Path image = dir.resolve("image-" + images++);
    cut.image(image);
    try (BlockFilePool pool = new BlockFilePool(image.resolve("pool"), LAYOUT, 0)) {
      pool.start();
      List<PmemReplica> found = VolumeScan.scan(image.resolve("blocks"), null, pool);
      assertEquals(1, found.size(), "replicas after the power cut: " + found);
      PmemReplica replica = found.get(0);
      try {
        assertEquals(blockId, replica.getBlockId());
        assertEquals(state, replica.getState());
        assertEquals(bytes.length, replica.getBytesOnDisk());
        byte[] actual = new byte[bytes.length];
        replica.file().readData(0, actual, 0, actual.length);
        assertArrayEquals(bytes, actual);
      } finally {
        replica.file().close();
      }
    }
  }
}
