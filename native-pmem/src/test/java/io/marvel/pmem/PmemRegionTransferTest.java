package io.marvel.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PmemRegion#transferTo}: sockets get the mapped pages by reference, others a copy. */
class PmemRegionTransferTest {
  private static final int SIZE = 8 << 20;

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  private PmemRegion region;
  private byte[] data;
  private LoopbackPair sockets;
  private SocketChannel sender;
  private SocketChannel receiver;

  @BeforeEach
  void mapAndConnect() throws IOException {
    data = new byte[SIZE];
    new Random(7).nextBytes(data);
    region = PmemRegion.create(dir.resolve("region"), SIZE);
    region.writeDurable(0, data, 0, SIZE);
    sockets = LoopbackPair.open();
    sender = sockets.sender;
    receiver = sockets.receiver;
  }

  @AfterEach
  void closeAll() throws IOException {
    sockets.close();
    region.close();
  }

  @Test
  void aBlockingSocketGetsACopy() throws Exception {
    // splice into a blocking socket could block in native code with the region held.
    sender.configureBlocking(true);
    int offset = 12_345;
    int count = 3 << 20;
    byte[] got = new byte[count];
    Thread reading = sockets.readerOf(got);
    reading.start();
    long sent = 0;
    while (sent < count) {
      sent += region.transferTo(offset + sent, (int) (count - sent), sender);
    }
    reading.join(30_000);
    assertEquals(count, sent);
    assertArrayEquals(Arrays.copyOfRange(data, offset, offset + count), got);
    assertFalse(region.hasLentPages());
  }

  @Test
  void aClosedChannelFailsAsClosed() throws Exception {
    sender.close();
    assertThrows(ClosedChannelException.class, () -> region.transferTo(0, 100, sender));
  }

  @Test
  void aFullNonBlockingSocketTakesPartOfARangeAndTheRestLater() throws Exception {
    // Nobody reads yet: the socket fills up and takes only part of the range.
    long first = region.transferTo(0, SIZE, sender);
    assertTrue(first > 0 && first < SIZE, "first send took " + first);
    assertEquals(0, region.transferTo(first, (int) (SIZE - first), sender),
        "a full socket takes nothing");

    byte[] got = new byte[SIZE];
    Thread reading = sockets.readerOf(got);
    reading.start();
    long sent = first;
    try (Selector selector = Selector.open()) {
      sender.register(selector, SelectionKey.OP_WRITE);
      while (sent < SIZE) {
        selector.select(1000);
        sent += region.transferTo(sent, (int) (SIZE - sent), sender);
      }
    }
    reading.join(30_000);
    // Bytes the socket did not take were dropped, not sent twice or skipped.
    assertArrayEquals(data, got);
    assertTrue(region.hasLentPages(), "the socket got the pages by reference");
  }

  @Test
  void bytesOverwrittenBeforeThePeerReadsThemArriveOverwritten() throws Exception {
    // The proof that the socket holds the mapped pages, not a copy: a copy would keep the old
    // bytes. This is why a region whose pages were lent must not be reused for other data.
    byte[] changed = new byte[64 * 1024];
    Arrays.fill(changed, (byte) 0x5a);
    assertArrayEquals(changed, sendThenOverwrite(region::transferTo, changed));
  }

  @Test
  void copyToSendsACopyThatLaterWritesDoNotChange() throws Exception {
    byte[] changed = new byte[64 * 1024];
    Arrays.fill(changed, (byte) 0x5a);
    assertArrayEquals(Arrays.copyOfRange(data, 0, changed.length),
        sendThenOverwrite(region::copyTo, changed));
    assertFalse(region.hasLentPages());
  }

  @Test
  void sendingThreadsLeaveNoDescriptorsBehind() throws Exception {
    // Sends reuse a few pipes and their own copy of the socket's descriptor: nothing piles up.
    byte[] got = new byte[100 * 1024];
    Thread reading = sockets.readerOf(got);
    reading.start();
    long before = openDescriptors();
    for (int i = 0; i < 100; i++) {
      int offset = i * 1024;
      Thread sending = new Thread(() -> {
        try {
          assertEquals(1024, region.transferTo(offset, 1024, sender));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      sending.start();
      sending.join();
    }
    reading.join(30_000);
    assertArrayEquals(Arrays.copyOfRange(data, 0, got.length), got);
    assertTrue(region.hasLentPages());
    assertTrue(openDescriptors() - before < 10, "descriptors: " + before + " before, "
        + openDescriptors() + " after 100 sending threads");
  }

  @Test
  void aChannelClosedWhileSendingNeverSendsIntoAFileThatTookItsNumber() throws Exception {
    // Sends race a close that frees the socket's descriptor number while files are opened, one
    // of which likely takes that number: every send finishes or fails as closed, and no byte
    // lands in a file.
    for (int round = 0; round < 50; round++) {
      SocketChannel racing;
      SocketChannel peer;
      try (ServerSocketChannel server = ServerSocketChannel.open()) {
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        racing = SocketChannel.open(server.getLocalAddress());
        racing.configureBlocking(false);
        peer = server.accept(); // reads nothing: the socket fills up and takes nothing more
      }
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      Thread sending = new Thread(() -> {
        try {
          while (true) {
            region.transferTo(0, 4096, racing);
          }
        } catch (ClosedChannelException expected) {
          // the channel was closed: what every send after the close must say
        } catch (IOException | RuntimeException e) {
          failures.add(e);
        }
      });
      sending.start();
      racing.close();
      List<FileChannel> files = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        files.add(FileChannel.open(dir.resolve("victim-" + round + "-" + i),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE));
      }
      sending.join(30_000);
      peer.close();
      for (FileChannel file : files) {
        assertEquals(0, file.size(), "a send wrote into a file");
        file.close();
      }
      assertTrue(failures.isEmpty(), failures.toString());
    }
  }

  private static long openDescriptors() throws IOException {
    try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Test
  void otherChannelsGetACopy() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(1000, region.transferTo(500, 1000, Channels.newChannel(out)));
    assertArrayEquals(Arrays.copyOfRange(data, 500, 1500), out.toByteArray());
    assertFalse(region.hasLentPages());
  }

  @Test
  void aClosedPeerFailsLikeASocketWrite() throws Exception {
    receiver.setOption(StandardSocketOptions.SO_LINGER, 0);
    receiver.close(); // with linger 0: a reset, not an orderly close
    IOException e = assertThrows(IOException.class, () -> {
      for (int i = 0; i < 100; i++) {
        region.transferTo(0, SIZE, sender);
        Thread.sleep(10);
      }
    });
    // The DataNode's block sender logs quietly only what starts like a socket write's error.
    assertTrue(e.getMessage().startsWith("Broken pipe")
        || e.getMessage().startsWith("Connection reset"), e.getMessage());
  }

  @Test
  void boundsAndStateAreChecked() throws Exception {
    assertThrows(IndexOutOfBoundsException.class, () -> region.transferTo(SIZE - 1, 2, sender));
    region.close();
    assertThrows(IllegalStateException.class, () -> region.transferTo(0, 1, sender));
  }

  /** A way of sending region bytes into a channel. */
  private interface Send {
    long send(long offset, int count, SocketChannel target) throws IOException;
  }

  /**
   * Sends the region's first {@code changed.length} bytes, overwrites them with
   * {@code changed} before the peer reads, and returns what the peer then receives.
   */
  private byte[] sendThenOverwrite(Send send, byte[] changed) throws IOException {
    assertEquals(changed.length, send.send(0, changed.length, sender));
    region.writeDurable(0, changed, 0, changed.length);
    byte[] got = new byte[changed.length];
    LoopbackPair.readFully(receiver, got);
    return got;
  }


}
