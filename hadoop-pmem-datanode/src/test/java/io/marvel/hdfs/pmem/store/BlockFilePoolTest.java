package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.marvel.pmem.FileSender;
import io.marvel.pmem.ShmTempDirFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Random;
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
  void takesThatEmptyThePoolLeavePreparingToQuietTime() throws Exception {
    long quiet = TimeUnit.SECONDS.toNanos(4);
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 2, quiet)) {
      pool.start();
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 2);
      // Read before the take: the pool notes the take a moment later, never earlier.
      long lastTake = System.nanoTime();
      pool.take(dir.resolve("blk_1")).close();
      lastTake = System.nanoTime();
      pool.take(dir.resolve("blk_2")).close();
      // An hsync's replica took the last file: preparing now would slow its packets.
      long beforeQuiet = quiet / 2 - (System.nanoTime() - lastTake);
      assertFalse(BlockFileFixtures.holdsWithin(TimeUnit.NANOSECONDS.toMillis(beforeQuiet),
          () -> pool.readyCount() != 0), "nothing prepared while the volume is busy");
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 2);
      assertTrue(System.nanoTime() - lastTake >= quiet, "filled up only after the quiet time");
    }
  }

  @Test
  void aTakeThatFindsThePoolEmptyHasOneFileCreatedAheadAndPreparedOnceQuiet() throws Exception {
    long quiet = TimeUnit.SECONDS.toNanos(5);
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 3, quiet)) {
      pool.start();
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 3);
      long lastTake = 0;
      for (int i = 0; i < 4; i++) {
        lastTake = System.nanoTime();
        pool.take(dir.resolve("blk_" + i)).close();
      }
      // The fourth replica created its own file: a burst outran the pool, one file goes ahead.
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 1);
      assertEquals(1, pool.counts().createdAhead.get());
      assertEquals(3, pool.counts().prepared.get(), "the file ahead is prepared while busy");
      try (BlockFile next = pool.take(dir.resolve("blk_4"))) {
        assertEquals(1, pool.counts().createdOnTake.get(), "the burst's next replica has a file");
      }
      lastTake = System.nanoTime();
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 1);
      long beforeQuiet = quiet / 2 - (System.nanoTime() - lastTake);
      if (beforeQuiet > 0) {
        assertFalse(BlockFileFixtures.holdsWithin(TimeUnit.NANOSECONDS.toMillis(beforeQuiet),
            () -> pool.readyCount() != 1), "only one file ahead while files are being taken");
      }
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 3);
      assertTrue(System.nanoTime() - lastTake >= quiet, "filled up only after the quiet time");
      BlockFileFixtures.waitFor(() -> pool.counts().prepared.get() == 6);
      assertEquals(2, pool.counts().createdAhead.get(), "prepared once quiet, not made anew");
    }
  }

  @Test
  void writesKeepTheVolumeBusySoFillingUpWaits() throws Exception {
    long quiet = TimeUnit.SECONDS.toNanos(2);
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 2, quiet)) {
      pool.start();
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 2);
      try (BlockFile file = pool.take(dir.resolve("blk_1"))) {
        long busyUntil = System.nanoTime() + 2 * quiet;
        for (long length = 0; System.nanoTime() < busyUntil; length = (length + 1) % 100) {
          file.writeData(length, new byte[1], 0, 1);
          file.commitLength(length + 1); // a packet received, as hsync's are
          assertFalse(BlockFileFixtures.holdsWithin(100, () -> pool.readyCount() != 1),
              "no filling up while a replica is written");
        }
      }
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 2);
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

  /**
   * A finalized replica shorter than a block had its data file trimmed. Deleting such files
   * and preparing whole new ones for them was most of what a DataNode whose files are written,
   * hsynced and deleted spent preparing: the pool grows it back and keeps it instead.
   */
  @Test
  void aTrimmedFileIsGrownBackAndRecycledInsteadOfAFileBeingPrepared() throws Exception {
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 1)) {
      pool.start();
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 1);
      BlockFile file = pool.take(dir.resolve("blk_1"));
      byte[] bytes = new byte[1000];
      new Random(7).nextBytes(bytes);
      file.writeData(0, bytes, 0, bytes.length);
      file.commitLength(bytes.length);
      file.writeHeader(new BlockFileHeader(BlockFileState.FINALIZED, 1, 1, 1000, LAYOUT));
      file.trimData(1000);
      pool.recycle(file);
      assertEquals(0, pool.counts().deleted.get(), "kept, not deleted");
      assertEquals(1, pool.readyCount());
      Path target = dir.resolve("blk_2");
      try (BlockFile again = pool.take(target)) {
        assertEquals(1, pool.counts().regrown.get());
        assertEquals(BlockFileState.FREE, again.header().state());
        assertTrue(again.hasFullDataFile());
        assertEquals(LAYOUT.dataFileLength(), Files.size(target));
        byte[] last = {42};
        again.writeData(LAYOUT.dataFileLength() - 1, last, 0, 1);
        byte[] read = new byte[1];
        again.readData(LAYOUT.dataFileLength() - 1, read, 0, 1);
        assertArrayEquals(last, read);
      }
      assertEquals(1, pool.counts().prepared.get(), "only the first file was prepared");
      assertEquals(0, pool.counts().createdOnTake.get());
    }
  }

  @Test
  void recyclingATrimmedFileLeavesGrowingItBackToThePreparer() throws Exception {
    // Quiet never comes: the preparer grows nothing after the first file.
    long never = TimeUnit.HOURS.toNanos(1);
    Path poolDir = dir.resolve("pool");
    try (BlockFilePool pool = new BlockFilePool(poolDir, LAYOUT, 1, never)) {
      pool.start();
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 1);
      recycleTrimmed(pool, 1000);
      assertEquals(0, pool.counts().regrown.get(), "the deleting thread grew it back");
      assertEquals(1000, Files.size(onlyFreeDataFile(poolDir)), "kept trimmed in the pool");
      assertEquals(1, pool.readyCount());
      // A take before the preparer got to it grows it itself.
      Path target = dir.resolve("blk_2");
      try (BlockFile again = pool.take(target)) {
        assertTrue(again.hasFullDataFile());
        assertEquals(LAYOUT.dataFileLength(), Files.size(target));
        assertEquals(1, pool.counts().regrown.get());
      }
    }
  }

  @Test
  void aTrimmedFreeFileLeftByAStopIsAdoptedAndGrownBack() throws Exception {
    Path poolDir = dir.resolve("pool");
    try (BlockFilePool pool = new BlockFilePool(poolDir, LAYOUT, 1, TimeUnit.HOURS.toNanos(1))) {
      pool.start();
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 1);
      recycleTrimmed(pool, 0);
    }
    try (BlockFilePool pool = new BlockFilePool(poolDir, LAYOUT, 1, 0L)) {
      pool.start();
      // Adopted (not deleted as unreadable), then grown back and prepared by the preparer.
      BlockFileFixtures.waitFor(() -> pool.preparedRegrownCount() == 1);
      assertEquals(1, pool.readyCount());
      Path target = dir.resolve("blk_2");
      try (BlockFile again = pool.take(target)) {
        assertEquals(BlockFileState.FREE, again.header().state());
        assertTrue(again.hasFullDataFile());
      }
      assertEquals(0, pool.counts().createdOnTake.get());
    }
  }

  /** Takes a file, writes {@code length} bytes as a finalized replica, trims and recycles it. */
  private void recycleTrimmed(BlockFilePool pool, int length) throws IOException {
    BlockFile file = pool.take(dir.resolve("blk_1"));
    byte[] bytes = new byte[length];
    new Random(7).nextBytes(bytes);
    file.writeData(0, bytes, 0, bytes.length);
    file.commitLength(bytes.length);
    file.writeHeader(new BlockFileHeader(BlockFileState.FINALIZED, 1, 1, length, LAYOUT));
    file.trimData(length);
    pool.recycle(file);
  }

  private static Path onlyFreeDataFile(Path poolDir) throws IOException {
    try (Stream<Path> files = Files.list(poolDir)) {
      List<Path> data = files.filter(p -> !p.toString().endsWith(BlockFile.META_SUFFIX))
          .toList();
      assertEquals(1, data.size(), data.toString());
      return data.get(0);
    }
  }

  @Test
  void aRegrownFileIsPreparedOnceTheVolumeIsQuiet() throws Exception {
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 1, 0L)) {
      pool.start();
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 1);
      BlockFile file = pool.take(dir.resolve("blk_1"));
      file.writeHeader(new BlockFileHeader(BlockFileState.FINALIZED, 1, 1, 0, LAYOUT));
      file.trimData(0);
      pool.recycle(file);
      BlockFileFixtures.waitFor(() -> pool.preparedRegrownCount() == 1);
      try (BlockFile again = pool.take(dir.resolve("blk_2"))) {
        assertTrue(again.hasFullDataFile());
      }
    }
  }

  @Test
  void recycledFilesAreKeptUpToTwiceTheTarget() throws Exception {
    // Quiet never comes: the file the preparer keeps never leaves the pool to be prepared
    // while the test recycles, which would make the pool look empty for a moment.
    long never = TimeUnit.HOURS.toNanos(1);
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 1, never)) {
      pool.start();
      BlockFile first = pool.take(dir.resolve("blk_1"));
      BlockFile second = pool.take(dir.resolve("blk_2"));
      BlockFile third = pool.take(dir.resolve("blk_3"));
      // The preparer filled the pool before the deletes arrived.
      BlockFileFixtures.waitFor(() -> pool.readyCount() == 1);
      pool.recycle(first);
      assertEquals(2, pool.readyCount(), "kept although the pool had its target");
      pool.recycle(second);
      assertEquals(2, pool.readyCount(), "no room beyond twice the target");
      assertFalse(Files.exists(dir.resolve("blk_2")));
      pool.recycle(third);
      assertEquals(2, pool.readyCount());
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
  void aFileSentOverLoopbackIsRecycledOnceItsReaderReadAndAcknowledgedEverything()
      throws Exception {
    byte[] sent = pattern(1);
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 0);
        LoopbackSockets sockets = LoopbackSockets.open()) {
      pool.start();
      BlockFile file = pool.take(dir.resolve("blk_1"));
      sendAll(file, sent, sockets);
      assertArrayEquals(sent, sockets.readFully(sent.length));
      // Loopback acknowledges at once or within a delayed-ACK time.
      BlockFileFixtures.waitFor(() -> delivered(sockets));
      pool.recycle(file);
      assertEquals(1, pool.readyCount(), "recycled: the reader has every byte");
      assertFalse(Files.exists(dir.resolve("blk_1")));
      try (BlockFile again = pool.take(dir.resolve("blk_2"))) {
        assertEquals(BlockFileState.FREE, again.header().state());
        assertFalse(again.hasLentPages(), "the next replica starts with nothing lent");
      }
    }
  }

  @Test
  void aFileSentOverLoopbackIsDeletedWhileItsReaderHasNotReadIt() throws Exception {
    byte[] sent = pattern(2);
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 0);
        LoopbackSockets sockets = LoopbackSockets.open()) {
      pool.start();
      BlockFile file = pool.take(dir.resolve("blk_1"));
      sendAll(file, sent, sockets);
      pool.recycle(file);
      assertEquals(0, pool.readyCount(), "the socket still holds the pages");
      assertFalse(Files.exists(dir.resolve("blk_1")));
      // A new replica's bytes elsewhere never reach the slow reader: it gets what was sent.
      try (BlockFile next = pool.take(dir.resolve("blk_2"))) {
        next.writeData(0, pattern(3), 0, sent.length);
      }
      assertArrayEquals(sent, sockets.readFully(sent.length));
    }
  }

  @Test
  void aFileSentOverAnotherAddressIsDeletedEvenOnceRead() throws Exception {
    InetAddress address = nonLoopbackAddress();
    assumeTrue(address != null, "needs a network address other than loopback on this machine");
    byte[] sent = pattern(4);
    try (BlockFilePool pool = new BlockFilePool(dir.resolve("pool"), LAYOUT, 0);
        LoopbackSockets sockets = LoopbackSockets.open(address)) {
      pool.start();
      BlockFile file = pool.take(dir.resolve("blk_1"));
      sendAll(file, sent, sockets);
      assertArrayEquals(sent, sockets.readFully(sent.length));
      // Its peer could be a socket of another network namespace that no table here shows.
      pool.recycle(file);
      assertEquals(0, pool.readyCount());
      assertFalse(Files.exists(dir.resolve("blk_1")));
    }
  }

  /** Sends the bytes from the file by sendfile, as the DataNode sends a replica. */
  private static void sendAll(BlockFile file, byte[] bytes, LoopbackSockets sockets)
      throws IOException {
    file.writeData(0, bytes, 0, bytes.length);
    try (FileSender sender = file.openDataSender()) {
      assertNotNull(sender, "a file on tmpfs is sent by sendfile");
      long done = 0;
      while (done < bytes.length) {
        done += file.transferData(done, (int) (bytes.length - done), sockets.sender, sender);
      }
    }
    assertTrue(file.hasLentPages());
  }

  private static boolean delivered(LoopbackSockets sockets) {
    try {
      return new LoopbackQueues().allDelivered(List.of(new LoopbackQueues.Connection(
          (InetSocketAddress) sockets.sender.getLocalAddress(),
          (InetSocketAddress) sockets.sender.getRemoteAddress())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return half the layout's data capacity (a socket takes it unread), different per seed */
  private static byte[] pattern(int seed) {
    byte[] bytes = new byte[(int) LAYOUT.dataFileLength() / 2];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static InetAddress nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address) {
            return address;
          }
        }
      }
    }
    return null;
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
