package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.ShmTempDirFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockFilePoolTest {
  private static final BlockFileLayout LAYOUT = BlockFileFixtures.LAYOUT;

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void preparesFilesAheadAndHandsThemOutRenamed() throws Exception {
    Path poolDir = dir.resolve("pool");
    try (BlockFilePool pool = new BlockFilePool(poolDir, LAYOUT, 2)) {
      pool.start();
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 2);
      Path target = dir.resolve("blk_1");
      try (BlockFile file = pool.take(target)) {
        assertEquals(target, file.path());
        assertTrue(Files.exists(target));
        assertTrue(Files.exists(BlockFile.metaPath(target)));
        assertEquals(BlockFileState.FREE, file.header().state());
      }
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 2);
      assertEquals(2 * 2, count(poolDir), "two pairs of data and meta file");
    }
  }

  @Test
  void aBurstOfTakesDrainsThePoolWhichFillsUpOnlyWhenQuiet() throws Exception {
    long quiet = TimeUnit.SECONDS.toNanos(5);
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 3, quiet)) {
      pool.start();
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 3);
      long lastTake = 0;
      for (int i = 0; i < 3; i++) {
        // Read before the take: the pool notes the take a moment later, never earlier.
        lastTake = System.nanoTime();
        pool.take(dir.resolve("blk_" + i)).close();
      }
      // Empty: one file is prepared at once, the rest waits for the quiet time.
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 1);
      // Filling up before the quiet time is over would be the failure: wait for it to happen.
      long beforeQuiet = quiet / 2 - (System.nanoTime() - lastTake);
      if (beforeQuiet > 0) {
        assertFalse(BlockFileFixtures.holdsWithin(TimeUnit.NANOSECONDS.toMillis(beforeQuiet),
            () -> pool.readyCount() != 1), "no filling up while files are being taken");
      }
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 3);
      assertTrue(System.nanoTime() - lastTake >= quiet, "filled up only after the quiet time");
    }
  }

  @Test
  void readsKeepTheVolumeBusySoFillingUpWaits() throws Exception {
    long quiet = TimeUnit.SECONDS.toNanos(2);
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 2, quiet)) {
      pool.start();
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 2);
      pool.take(dir.resolve("blk_1")).close();
      long busyUntil = System.nanoTime() + 2 * quiet;
      while (System.nanoTime() < busyUntil) {
        pool.noteActivity();
        assertFalse(BlockFileFixtures.holdsWithin(100, () -> pool.readyCount() != 1),
            "no filling up while replicas are read");
      }
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 2);
    }
  }

  @Test
  void withoutPreparedFilesTakeCreatesOne() throws IOException {
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 0)) {
      pool.start();
      try (BlockFile file = pool.take(dir.resolve("blk_1"))) {
        assertEquals(LAYOUT, file.layout());
      }
      assertEquals(0, pool.readyCount());
    }
  }

  @Test
  void recycledFileIsFreeAgainAndTheOldObjectIsClosed() throws IOException {
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 0)) {
      pool.start();
      BlockFile file = pool.take(dir.resolve("blk_1"));
      file.writeHeader(new BlockFileHeader(BlockFileState.FINALIZED, 1, 1, 10, LAYOUT));
      pool.recycle(file);
      assertFalse(Files.exists(dir.resolve("blk_1")));
      assertFalse(Files.exists(dir.resolve("blk_1.meta")));
      assertEquals(1, pool.readyCount());
      assertThrows(IllegalStateException.class,
          () -> file.readData(0, new byte[1], 0, 1));
      try (BlockFile again = pool.take(dir.resolve("blk_2"))) {
        assertEquals(BlockFileState.FREE, again.header().state());
      }
    }
  }

  @Test
  void aFileWhosePagesASocketGotIsDeletedNotRecycled() throws IOException {
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 0);
        ServerSocketChannel server = ServerSocketChannel.open()) {
      pool.start();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try (SocketChannel sender = SocketChannel.open(server.getLocalAddress());
          SocketChannel receiver = server.accept()) {
        sender.configureBlocking(false); // as the DataNode's sockets are
        BlockFile file = pool.take(dir.resolve("blk_1"));
        file.writeData(0, new byte[100], 0, 100);
        assertEquals(100, file.transferData(0, 100, sender));
        assertTrue(file.hasLentPages());
        pool.recycle(file);
        assertEquals(0, pool.readyCount());
        assertFalse(Files.exists(dir.resolve("blk_1")));
        // The socket still delivers the bytes it was lent.
        ByteBuffer got = ByteBuffer.allocate(100);
        while (got.hasRemaining() && receiver.read(got) >= 0) {
          continue;
        }
        assertEquals(100, got.position());
      }
    }
  }

  @Test
  void restartAdoptsFreeFilesAndDeletesForeignOnes() throws Exception {
    Path poolDir = dir.resolve("pool");
    try (BlockFilePool pool = new BlockFilePool(poolDir, LAYOUT, 1)) {
      pool.start();
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 1);
    }
    BlockFile.create(poolDir.resolve("free-other"),
        BlockFileLayout.forCapacity(8192, 512)).close();
    Files.write(poolDir.resolve("free-garbage"), new byte[8192]);
    Files.write(poolDir.resolve("free-garbage.meta"), new byte[8192]);
    Files.write(poolDir.resolve("free-split"), new byte[8192]);
    Files.write(poolDir.resolve("free-other-split.meta"), new byte[8192]);
    try (BlockFilePool pool = new BlockFilePool(poolDir, LAYOUT, 0)) {
      pool.start();
      assertEquals(1, pool.readyCount());
      assertEquals(2, count(poolDir), "only the adopted pair is left");
    }
  }

  @Test
  void drainReadyGivesTheSpaceBack() throws Exception {
    Path poolDir = dir.resolve("pool");
    try (BlockFilePool pool = new BlockFilePool(poolDir, LAYOUT, 2)) {
      pool.start();
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 2);
      pool.drainReady();
      assertEquals(0, pool.readyCount());
      assertEquals(0, count(poolDir));
    }
  }

  private static long count(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }
}
