package io.marvel.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileSender}: sendfile of a tmpfs file into non-blocking sockets. */
class FileSenderTest {
  private static final int SIZE = 8 << 20;

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  private Path file;
  private byte[] data;
  private LoopbackPair sockets;
  private SocketChannel sender;
  private SocketChannel receiver;

  @BeforeEach
  void writeAndConnect() throws IOException {
    data = new byte[SIZE];
    new Random(11).nextBytes(data);
    file = Files.write(dir.resolve("file"), data);
    sockets = LoopbackPair.open();
    sender = sockets.sender;
    receiver = sockets.receiver;
  }

  @AfterEach
  void closeAll() throws IOException {
    sockets.close();
  }

  @Test
  void aSendWaitsForRoomWhileThePeerReadsAndSendsTheWholeRange() throws Exception {
    // The DataNode's sender waits through a selector (four system calls) after every short
    // count; sending the whole packet here saves those while the peer keeps reading. A peer
    // that stalls for longer than the sender waits (a loaded machine) gets a short count, so
    // the whole range in one call must happen in one of three tries; without the wait, never.
    int offset = 4096 + 17;
    int count = SIZE - offset;
    boolean wholeInOneCall = false;
    for (int attempt = 0; attempt < 3 && !wholeInOneCall; attempt++) {
      byte[] got = new byte[count];
      Thread reading = sockets.readerOf(got);
      reading.start();
      Thread.sleep(50); // the reader waits in read() before the socket fills
      try (FileSender files = FileSender.open(file)) {
        long sent = files.send(offset, count, sender);
        wholeInOneCall = sent == count;
        while (sent < count) {
          sent += files.send(offset + sent, (int) (count - sent), sender);
        }
      }
      reading.join(30_000);
      assertArrayEquals(Arrays.copyOfRange(data, offset, SIZE), got);
    }
    assertTrue(wholeInOneCall, "no try sent the whole range in one call");
  }

  @Test
  void aSocketNobodyReadsGetsAShortCountAfterAWait() throws Exception {
    try (FileSender files = FileSender.open(file)) {
      long first = files.send(0, SIZE, sender);
      assertTrue(first > 0 && first < SIZE, "first send took " + first);
      long start = System.nanoTime();
      long second = files.send(first, (int) (SIZE - first), sender);
      assertTrue(second < SIZE - first, "a full socket takes only part: " + second);
      assertTrue(System.nanoTime() - start < 5_000_000_000L, "waits a bounded time");
      byte[] got = new byte[SIZE];
      Thread reading = sockets.readerOf(got);
      reading.start();
      long sent = first + second;
      while (sent < SIZE) {
        sent += files.send(sent, (int) (SIZE - sent), sender);
      }
      reading.join(30_000);
      assertArrayEquals(data, got);
    }
  }

  @Test
  void itStopsAtTheEndOfTheFile() throws Exception {
    try (FileSender files = FileSender.open(file)) {
      assertEquals(100, files.send(SIZE - 100, 1000, sender));
    }
    byte[] got = new byte[100];
    LoopbackPair.readFully(receiver, got);
    assertArrayEquals(Arrays.copyOfRange(data, SIZE - 100, SIZE), got);
  }

  @Test
  void otherChannelsAndBlockingSocketsAreLeftToTheCaller() throws Exception {
    try (FileSender files = FileSender.open(file)) {
      assertEquals(FileSender.UNSUPPORTED,
          files.send(0, 10, Channels.newChannel(new ByteArrayOutputStream())));
      sender.configureBlocking(true);
      assertEquals(FileSender.UNSUPPORTED, files.send(0, 10, sender));
    }
  }

  @Test
  void theSocketStaysOpenUntilTheSenderIsClosed() throws Exception {
    // The sender's own descriptor keeps a concurrently closed channel's number from being
    // reused under it; closing the sender lets the socket go.
    FileSender files = FileSender.open(file);
    assertEquals(10, files.send(0, 10, sender));
    sender.close();
    receiver.configureBlocking(false);
    ByteBuffer ten = ByteBuffer.allocate(64);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (ten.position() < 10 && System.nanoTime() < deadline) {
      receiver.read(ten);
    }
    assertEquals(10, ten.position());
    assertEquals(0, receiver.read(ten), "no end of stream while the sender holds the socket");
    files.close();
    int n = 0;
    while (n == 0 && System.nanoTime() < deadline) {
      n = receiver.read(ten);
    }
    assertEquals(-1, n, "the end of stream once the sender is closed");
  }

  @Test
  void closedChannelsAndSendersFailAsClosed() throws Exception {
    FileSender files = FileSender.open(file);
    sender.close();
    assertThrows(ClosedChannelException.class, () -> files.send(0, 10, sender));
    files.close();
    files.close();
    assertThrows(ClosedChannelException.class, () -> files.send(0, 10, receiver));
  }

  @Test
  void aClosedPeerFailsLikeASocketWrite() throws Exception {
    receiver.setOption(StandardSocketOptions.SO_LINGER, 0);
    receiver.close(); // with linger 0: a reset, not an orderly close
    try (FileSender files = FileSender.open(file)) {
      IOException e = assertThrows(IOException.class, () -> {
        for (int i = 0; i < 100; i++) {
          files.send(0, SIZE, sender);
          Thread.sleep(10);
        }
      });
      assertTrue(e.getMessage().startsWith("Broken pipe")
          || e.getMessage().startsWith("Connection reset"), e.getMessage());
    }
  }

  @Test
  void aMissingFileIsNamed() {
    PmemException e = assertThrows(PmemException.class,
        () -> FileSender.open(dir.resolve("missing")));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }


}
