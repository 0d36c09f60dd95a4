package io.marvel.pmem;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Two connected loopback sockets for the send tests: a non-blocking sender, as the DataNode's
 * sockets are (only those get pages by reference), and a blocking receiver that a reader thread
 * drains.
 */
final class LoopbackPair implements Closeable {
  final SocketChannel sender;
  final SocketChannel receiver;

  private LoopbackPair(SocketChannel sender, SocketChannel receiver) {
    this.sender = sender;
    this.receiver = receiver;
  }

  static LoopbackPair open() throws IOException {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      SocketChannel sender = SocketChannel.open(server.getLocalAddress());
      SocketChannel receiver = server.accept();
      sender.configureBlocking(false);
      return new LoopbackPair(sender, receiver);
    }
  }

  /** @return a thread, not started, that reads exactly {@code into.length} bytes into it */
  Thread readerOf(byte[] into) {
    return new Thread(() -> {
      try {
        readFully(receiver, into);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, "receiver");
  }

  static void readFully(SocketChannel channel, byte[] into) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(into);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new IOException("end of stream after " + buffer.position() + " bytes");
      }
    }
  }

  @Override
  public void close() throws IOException {
    sender.close();
    receiver.close();
  }
}
