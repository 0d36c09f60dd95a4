package io.marvel.pmem;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipes between vmsplice and splice, sized to hold a whole packet and reused across sends
 * instead of creating one per send. A pipe left holding pages a socket did not take is closed,
 * so they never go out with a later send. At most {@link #IDLE_LIMIT} idle pipes are kept.
 * Thread-safe.
 */
final class SplicePipes {
  private static final int PIPE_BYTES = 256 * 1024;
  static final int IDLE_LIMIT = 16;

  private static final ConcurrentLinkedQueue<int[]> IDLE = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger IDLE_COUNT = new AtomicInteger();

  private SplicePipes() {
  }

  /**
   * Lends [address, address + length) to the socket through a pipe.
   *
   * @return bytes the socket took (fewer when a non-blocking socket is full), or {@code -errno}
   */
  static long pump(long address, long length, int socket) {
    int[] pipe = IDLE.poll();
    if (pipe != null) {
      IDLE_COUNT.decrementAndGet();
    } else {
      pipe = new int[2];
      int opened = PmemNative.openPipe(pipe, PIPE_BYTES);
      if (opened < 0) {
        return opened;
      }
    }
    long sent = 0;
    long inPipe = 0;
    int err = 0;
    while (sent < length && err == 0) {
      inPipe = PmemNative.vmsplice(pipe[1], address + sent, length - sent);
      if (inPipe <= 0) {
        err = inPipe == 0 ? Errno.EIO : (int) -inPipe;
        inPipe = 0;
        break;
      }
      while (inPipe > 0) {
        long out = PmemNative.splice(pipe[0], socket, inPipe);
        if (out <= 0) {
          err = out == 0 ? Errno.EPIPE : (int) -out;
          break;
        }
        sent += out;
        inPipe -= out;
      }
    }
    release(pipe, inPipe > 0);
    if (err == 0 || err == Errno.EAGAIN || sent > 0) {
      return sent; // a failure after some bytes recurs on the caller's next call
    }
    return -err;
  }

  private static void release(int[] pipe, boolean holdsPages) {
    if (!holdsPages && IDLE_COUNT.incrementAndGet() <= IDLE_LIMIT) {
      IDLE.add(pipe);
      return;
    }
    if (!holdsPages) {
      IDLE_COUNT.decrementAndGet();
    }
    SocketChannelSplice.closeQuietly(pipe[0]);
    SocketChannelSplice.closeQuietly(pipe[1]);
  }
}
