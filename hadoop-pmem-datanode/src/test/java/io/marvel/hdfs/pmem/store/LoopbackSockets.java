package io.marvel.hdfs.pmem.store;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Two connected sockets for tests of lent pages: a non-blocking sender, as the DataNode's
 * sockets are (only those get pages by sendfile), and a blocking receiver.
 */
final class LoopbackSockets implements Closeable {
  final SocketChannel sender;
  final SocketChannel receiver;

  private LoopbackSockets(SocketChannel sender, SocketChannel receiver) {
    this.sender = sender;
    this.receiver = receiver;
  }

  /** Connects over the loopback address. */
  static LoopbackSockets open() throws IOException {
    return open(InetAddress.getLoopbackAddress());
  }

  /** Connects over {@code address}, an address of this machine. */
  static LoopbackSockets open(InetAddress address) throws IOException {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(address, 0));
      SocketChannel sender = SocketChannel.open(server.getLocalAddress());
      SocketChannel receiver = server.accept();
      sender.configureBlocking(false);
      return new LoopbackSockets(sender, receiver);
    }
  }

  /** @return exactly {@code count} bytes read from the receiver */
  byte[] readFully(int count) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(count);
    while (buffer.hasRemaining()) {
      if (receiver.read(buffer) < 0) {
        throw new IOException("end of stream after " + buffer.position() + " bytes");
      }
    }
    return buffer.array();
  }

  @Override
  public void close() throws IOException {
    try {
      sender.close();
    } finally {
      receiver.close();
    }
  }
}
