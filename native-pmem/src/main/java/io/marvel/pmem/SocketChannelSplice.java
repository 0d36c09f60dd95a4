package io.marvel.pmem;

import java.nio.channels.SocketChannel;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Sends mapped bytes into a JDK socket channel without copying them: vmsplice lends the mapped
 * pages to a pipe and splice hands them on to the socket, which holds them until its peer has
 * read them. The C side only makes the system calls; what to lock, which descriptor to use and
 * when to give up live here. Thread-safe.
 */
final class SocketChannelSplice {
  /** {@link #send} result: the channel has no descriptor this code knows of. */
  static final long UNSUPPORTED = Long.MIN_VALUE;
  /** {@link #send} result: the channel is in blocking mode, where splice could block. */
  static final long BLOCKING = Long.MIN_VALUE + 1;

  /**
   * Each channel's descriptor, looked up once (the JDK keeps it for the channel's lifetime).
   * Java has no public way to get it; see {@code socketDescriptor} in pmem_native.c for the
   * route taken, chosen over reflection (which needs {@code --add-opens}) and over matching
   * {@code /proc/self/fd} against the socket's addresses (a scan per connection).
   */
  private static final Map<SocketChannel, Integer> DESCRIPTORS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private SocketChannelSplice() {
  }

  /**
   * Sends [address, address + length) into the channel, stopping early without error when a
   * non-blocking socket is full.
   *
   * @return bytes the socket took, {@code -errno}, {@link #UNSUPPORTED} or {@link #BLOCKING}
   */
  static long send(long address, long length, SocketChannel channel) {
    int fd = descriptor(channel);
    if (fd < 0) {
      return UNSUPPORTED;
    }
    // The channel's blocking lock (public API) keeps it non-blocking while splice runs and keeps
    // two sends into one channel from interleaving.
    synchronized (channel.blockingLock()) {
      if (channel.isBlocking()) {
        return BLOCKING;
      }
      // A descriptor of our own for the socket, so that a concurrent close of the channel cannot
      // free the number (and let another file take it) while we send; closing waits for nothing
      // of ours, the socket itself closes when our copy does. Once the copy exists, the channel
      // still being open proves the number was still the channel's (close marks the channel
      // closed before it closes the descriptor).
      int socket = PmemNative.duplicate(fd);
      if (!channel.isOpen()) {
        closeQuietly(socket);
        return -Errno.EBADF;
      }
      if (socket < 0) {
        return socket;
      }
      try {
        return SplicePipes.pump(address, length, socket);
      } finally {
        closeQuietly(socket);
      }
    }
  }

  /** @return the channel's descriptor, or a negative number when it has none we know of */
  static int descriptor(SocketChannel channel) {
    return DESCRIPTORS.computeIfAbsent(channel, PmemNative::socketDescriptor);
  }

  static void closeQuietly(int fd) {
    if (fd >= 0) {
      // A failing close of our own copy leaves nothing to undo: the descriptor is gone either way.
      PmemNative.closeDescriptor(fd);
    }
  }
}
