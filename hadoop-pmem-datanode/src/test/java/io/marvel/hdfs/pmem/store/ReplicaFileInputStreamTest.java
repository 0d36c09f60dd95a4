package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.ShmTempDirFactory;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaFileInputStreamTest {
  private static final BlockFileLayout LAYOUT = BlockFileLayout.forCapacity(1 << 20, 512);
  private static final int LENGTH = 700_000;
  private static final byte[] META = {0, 1, 2, 0, 0, 2, 0, 11, 22, 33, 44};

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;
  private BlockFile file;
  private byte[] data;

  @BeforeEach
  void writeReplica() throws IOException {
    data = new byte[LENGTH];
    new Random(42).nextBytes(data);
    file = BlockFile.create(dir.resolve("blk_1"), LAYOUT);
    file.writeData(0, data, 0, LENGTH);
    file.writeMeta(0, META, 0, META.length);
    file.commitLength(LENGTH);
  }

  @AfterEach
  void closeFile() throws IOException {
    file.close();
  }

  @Test
  void readsFromTheStartOffsetToTheEndThenEof() throws IOException {
    try (ReplicaFileInputStream in = ReplicaFileInputStream.data(file, 1000, LENGTH)) {
      assertEquals(LENGTH - 1000, in.available());
      assertEquals(data[1000] & 0xff, in.read());
      byte[] rest = in.readAllBytes();
      assertArrayEquals(Arrays.copyOfRange(data, 1001, LENGTH), rest);
      assertEquals(-1, in.read());
      assertEquals(-1, in.read(new byte[10]));
      assertEquals(0, in.available());
    }
  }

  @Test
  void streamAndChannelShareOnePosition() throws IOException {
    try (ReplicaFileInputStream in = ReplicaFileInputStream.data(file, 10, LENGTH)) {
      FileChannel channel = in.getChannel();
      assertEquals(10, channel.position());
      assertEquals(LENGTH, channel.size());
      assertEquals(100, in.read(new byte[100]));
      assertEquals(110, channel.position());
      channel.position(5000);
      assertEquals(data[5000] & 0xff, in.read());
      assertEquals(1000, in.skip(1000));
      ByteBuffer buf = ByteBuffer.allocateDirect(16);
      assertEquals(16, channel.read(buf));
      assertEquals(6017, channel.position());
      assertArrayEquals(Arrays.copyOfRange(data, 6001, 6017), bytes(buf.flip()));
      assertEquals(LENGTH - 6017, in.skip(Long.MAX_VALUE));
      assertEquals(-1, channel.read(ByteBuffer.allocate(1)));
    }
  }

  @Test
  void positionalReadsLeaveThePositionAlone() throws IOException {
    try (ReplicaFileInputStream in = ReplicaFileInputStream.data(file, 0, LENGTH)) {
      FileChannel channel = in.getChannel();
      ByteBuffer buf = ByteBuffer.allocate(100);
      assertEquals(100, channel.read(buf, LENGTH - 100));
      assertArrayEquals(Arrays.copyOfRange(data, LENGTH - 100, LENGTH), buf.array());
      assertEquals(-1, channel.read(ByteBuffer.allocate(1), LENGTH));
      assertEquals(0, channel.position());
    }
  }

  @Test
  void descriptorIsTheDataFileFromOffsetZero() throws IOException {
    try (ReplicaFileInputStream in = ReplicaFileInputStream.data(file, 500, LENGTH)) {
      FileChannel viaDescriptor = new FileInputStream(in.getFD()).getChannel();
      ByteBuffer buf = ByteBuffer.allocate(4096);
      assertEquals(4096, viaDescriptor.read(buf, 0));
      assertArrayEquals(Arrays.copyOf(data, 4096), buf.array());
    }
  }

  @Test
  void metaStreamReadsTheStockMetaBytes() throws IOException {
    try (ReplicaFileInputStream in = ReplicaFileInputStream.meta(file, META.length)) {
      assertArrayEquals(META, in.readAllBytes());
      FileChannel viaDescriptor = new FileInputStream(in.getFD()).getChannel();
      ByteBuffer buf = ByteBuffer.allocate(META.length);
      viaDescriptor.read(buf, 0);
      assertArrayEquals(META, buf.array());
    }
  }

  @Test
  void transferToAPipeTakesWhatFitsAndKeepsThePosition() throws IOException {
    Pipe pipe = Pipe.open();
    try (ReplicaFileInputStream in = ReplicaFileInputStream.data(file, 0, LENGTH);
        Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
      sink.configureBlocking(false);
      source.configureBlocking(false);
      assertArrayEquals(Arrays.copyOfRange(data, 123, LENGTH),
          transferFully(in.getChannel(), 123, LENGTH - 123, sink, source));
      assertEquals(0, in.getChannel().position());
    }
  }

  @Test
  void transferToASocketSendsTheExactBytes() throws IOException {
    // Small socket buffers, so that the sender fills up as a DataNode's socket to a slow reader.
    try (ServerSocketChannel server = ServerSocketChannel.open()
        .setOption(StandardSocketOptions.SO_RCVBUF, 4096)
        .bind(new InetSocketAddress("127.0.0.1", 0));
        SocketChannel client = SocketChannel.open()
            .setOption(StandardSocketOptions.SO_SNDBUF, 4096);
        ReplicaFileInputStream in = ReplicaFileInputStream.data(file, 0, LENGTH)) {
      client.connect(server.getLocalAddress());
      SocketChannel accepted = server.accept();
      client.configureBlocking(false);
      accepted.configureBlocking(false);
      try (accepted) {
        assertFalse(file.hasLentPages());
        assertArrayEquals(Arrays.copyOfRange(data, 4096, LENGTH),
            transferFully(in.getChannel(), 4096, LENGTH - 4096, client, accepted));
        // The socket got the file's pages (sendfile from tmpfs): never recycle this file.
        assertTrue(file.hasLentPages());
      }
    }
  }

  @Test
  void aTransferIntoASocketWhosePeerReadsSendsTheWholeRangeAtOnce() throws Exception {
    // The block sender waits through a selector after every short count; a peer that keeps
    // reading gets the whole packet in one call instead. A peer stalled for longer than the
    // sender waits (a loaded machine) gets a short count, so one of three tries must send every
    // quarter whole.
    boolean wholeQuarters = false;
    for (int attempt = 0; attempt < 3 && !wholeQuarters; attempt++) {
      wholeQuarters = sendsEachQuarterWhole();
    }
    assertTrue(wholeQuarters, "no try sent each quarter of the range in one call");
  }

  /** @return whether each quarter went in one call; the peer gets every byte either way */
  private boolean sendsEachQuarterWhole() throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open()
        .bind(new InetSocketAddress("127.0.0.1", 0));
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept();
        ReplicaFileInputStream in = ReplicaFileInputStream.data(file, 0, LENGTH)) {
      client.configureBlocking(false);
      ByteBuffer got = ByteBuffer.allocate(LENGTH);
      Thread reader = new Thread(() -> {
        try {
          while (got.hasRemaining() && accepted.read(got) >= 0) {
            continue;
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      reader.start();
      int quarter = LENGTH / 4;
      boolean whole = true;
      for (int i = 0; i < 4; i++) {
        long sent = in.getChannel().transferTo(i * quarter, quarter, client);
        whole &= sent == quarter;
        while (sent < quarter) {
          sent += in.getChannel().transferTo(i * quarter + sent, quarter - sent, client);
        }
      }
      reader.join(30_000);
      assertArrayEquals(data, got.array());
      return whole;
    }
  }

  @Test
  void closingAStreamThatSentIntoASocketLeavesNoDescriptorOpen() throws IOException {
    long before = openDescriptors();
    try (ServerSocketChannel server = ServerSocketChannel.open()
        .bind(new InetSocketAddress("127.0.0.1", 0));
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept()) {
      client.configureBlocking(false);
      for (int i = 0; i < 3; i++) {
        try (ReplicaFileInputStream in = ReplicaFileInputStream.data(file, 0, LENGTH)) {
          assertEquals(100, in.getChannel().transferTo(0, 100, client));
        }
      }
      ByteBuffer got = ByteBuffer.allocate(300);
      while (got.hasRemaining()) {
        accepted.read(got);
      }
    }
    assertEquals(before, openDescriptors());
  }

  private static long openDescriptors() throws IOException {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Test
  void transferStopsAtTheEnd() throws IOException {
    Pipe pipe = Pipe.open();
    try (ReplicaFileInputStream in = ReplicaFileInputStream.data(file, 0, LENGTH);
        Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
      assertEquals(0, in.getChannel().transferTo(LENGTH, 10, sink));
      assertEquals(10, in.getChannel().transferTo(LENGTH - 10, 1000, sink));
      ByteBuffer buf = ByteBuffer.allocate(10);
      source.read(buf);
      assertArrayEquals(Arrays.copyOfRange(data, LENGTH - 10, LENGTH), buf.array());
    }
  }

  @Test
  void readsOfADeletedReplicaFailNamingTheFile() throws IOException {
    try (ReplicaFileInputStream in = ReplicaFileInputStream.data(file, 0, LENGTH)) {
      BlockFile next = file.handOver();
      try {
        IOException e = assertThrows(IOException.class, () -> in.read(new byte[10]));
        assertEquals("PMEM replica " + file.path() + " was closed during a read",
            e.getMessage());
        assertThrows(IOException.class,
            () -> in.getChannel().transferTo(0, 10, WritableSink.DISCARD));
      } finally {
        file = next;
      }
    }
  }

  @Test
  void openingAReplicaWhoseFilesAreGoneFails() throws IOException {
    Files.delete(file.path());
    assertThrows(FileNotFoundException.class, () -> ReplicaFileInputStream.data(file, 0, 1));
  }

  @Test
  void closingTheChannelClosesTheStreamAndItsDescriptor() throws IOException {
    ReplicaFileInputStream in = ReplicaFileInputStream.data(file, 0, LENGTH);
    in.getChannel().close();
    assertFalse(in.getFD().valid());
    assertThrows(ClosedChannelException.class, () -> in.read());
    in.close();
    ReplicaFileInputStream other = ReplicaFileInputStream.data(file, 0, LENGTH);
    other.close();
    assertFalse(other.getChannel().isOpen());
    assertThrows(ClosedChannelException.class, () -> other.getChannel().size());
  }

  @Test
  void writingMappingAndLockingAreRefused() throws IOException {
    try (ReplicaFileInputStream in = ReplicaFileInputStream.data(file, 0, LENGTH)) {
      FileChannel channel = in.getChannel();
      assertThrows(NonWritableChannelException.class, () -> channel.write(ByteBuffer.allocate(1)));
      assertThrows(NonWritableChannelException.class, () -> channel.truncate(0));
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          () -> channel.map(FileChannel.MapMode.READ_ONLY, 0, 10));
      assertTrue(e.getMessage().contains(file.path().toString()), e.getMessage());
      assertThrows(UnsupportedOperationException.class, () -> channel.lock(0, 1, true));
    }
  }

  /**
   * Transfers [at, at + count) into a non-blocking {@code sink} the way Hadoop's
   * {@code SocketOutputStream.transferToFully} does, draining {@code source} whenever the
   * sink is full, and returns the bytes that arrived.
   */
  private static byte[] transferFully(FileChannel channel, long at, long count,
      WritableByteChannel sink, ReadableByteChannel source) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    boolean sawPartial = false;
    long position = at;
    long left = count;
    while (left > 0) {
      long n = channel.transferTo(position, left, sink);
      sawPartial |= n < left;
      position += n;
      left -= n;
      drain(source, buf, received);
    }
    while (received.size() < count) {
      drain(source, buf, received);
    }
    assertTrue(sawPartial, "a non-blocking sink took less than asked at least once");
    return received.toByteArray();
  }

  private static void drain(ReadableByteChannel source, ByteBuffer buf,
      ByteArrayOutputStream received) throws IOException {
    for (int n = source.read(buf.clear()); n > 0; n = source.read(buf.clear())) {
      received.write(buf.array(), 0, n);
    }
  }

  private static byte[] bytes(ByteBuffer buf) {
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    return out;
  }

  /** A sink that takes everything. */
  private enum WritableSink implements WritableByteChannel {
    DISCARD;

    @Override
    public int write(ByteBuffer src) {
      int n = src.remaining();
      src.position(src.limit());
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {
    }
  }
}
