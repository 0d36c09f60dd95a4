package io.marvel.pmem;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * Sends bytes of one file into non-blocking JDK socket channels with {@code sendfile}: a file in
 * the page cache (tmpfs, the PMEM emulation) hands the socket its pages by reference, with no
 * copy, as {@code FileChannel.transferTo} does for a stock DataNode's block file. Compared with
 * that, a send costs fewer system calls, which dominate a packet's cost where system calls are
 * expensive (virtual machines): no {@code fstat} per call (the JDK checks the file's size each
 * time), and a socket that is full is waited for here with one {@code poll} instead of handing
 * back a short count, after which Hadoop's sender waits through a selector (four calls) and
 * calls again. The socket holds the pages until its peer has read them, so bytes changed
 * meanwhile go out changed: callers send only bytes that no longer change, and keep track of
 * files whose pages they lent (see {@link PmemRegion#hasLentPages()}).
 *
 * <p>The sender has a descriptor of its own for the file and, while it sends into one socket
 * channel, a copy of that channel's descriptor: a concurrent close of the channel can then never
 * make the number name another file while bytes go out. That copy keeps the socket open until
 * the sender sends into another channel or is closed, so close it once the transfer is over.
 *
 * <p>Used by one thread at a time, like a stream; {@link #close()} is idempotent.
 */
public final class FileSender implements Closeable {
  /** {@link #send} result: the target is not a non-blocking socket channel this code knows. */
  public static final long UNSUPPORTED = -1;
  /** The longest single wait for room in a full socket before handing back a short count. */
  private static final int WAIT_MILLIS = 100;

  private final Path path;
  private int file;
  private SocketChannel channel;
  private int socket = -1;

  private FileSender(Path path, int file) {
    this.path = path;
    this.file = file;
  }

  /**
   * Opens a file for sending.
   *
   * @param path the file
   * @return the sender
   * @throws PmemException (a subclass for a missing file or denied access) if it cannot be
   *     opened
   */
  public static FileSender open(Path path) throws PmemException {
    Pmem.ensureAvailable();
    int fd = PmemNative.openForReading(path.toString());
    if (fd < 0) {
      throw PmemErrors.forErrno("cannot open " + path + " for sending: "
          + PmemNative.strerror(-fd), -fd);
    }
    return new FileSender(path, fd);
  }

  /**
   * Sends the file's bytes [offset, offset + count) into {@code target}, waiting for room while
   * the socket takes bytes, and returning early (with fewer bytes, even none) once it took none
   * for {@value #WAIT_MILLIS} ms: the caller waits and calls again, as
   * {@code SocketOutputStream.transferToFully} does. Stops at the end of the file.
   *
   * @return bytes the socket took, or {@link #UNSUPPORTED} (nothing sent) when {@code target} is
   *     not a non-blocking JDK socket channel
   * @throws ClosedChannelException if the channel or this sender is closed
   * @throws IOException if the socket fails before taking any byte; the message starts with the
   *     system's reason (for example "Broken pipe"), as a socket write's does
   */
  public synchronized long send(long offset, int count, WritableByteChannel target)
      throws IOException {
    if (offset < 0 || count < 0) {
      throw new IllegalArgumentException("negative offset " + offset + " or count " + count
          + " of " + path);
    }
    if (file < 0) {
      throw new ClosedChannelException();
    }
    if (!(target instanceof SocketChannel sc)) {
      return UNSUPPORTED;
    }
    // The blocking lock (public API) keeps the channel non-blocking while we send and keeps two
    // senders into one channel from interleaving their bytes.
    synchronized (sc.blockingLock()) {
      if (sc.isBlocking()) {
        return UNSUPPORTED;
      }
      int out = socketOf(sc);
      if (out < 0) {
        return UNSUPPORTED;
      }
      return pump(out, offset, count, target);
    }
  }

  private long pump(int out, long offset, int count, WritableByteChannel target)
      throws IOException {
    long sent = 0;
    while (sent < count) {
      long n = PmemNative.sendFile(out, file, offset + sent, count - sent);
      if (n > 0) {
        sent += n;
      } else if (n == 0) {
        break; // the end of the file
      } else if (n == -Errno.EAGAIN) {
        if (PmemNative.awaitWritable(out, WAIT_MILLIS) <= 0) {
          break; // still full (or poll failed): the caller waits its own way
        }
      } else if (sent > 0) {
        break; // the failure recurs on the caller's next call
      } else if (PmemErrors.isClosedDescriptor((int) -n)) {
        throw new ClosedChannelException();
      } else {
        throw new IOException(PmemNative.strerror((int) -n) + " (sending " + path + " into "
            + target + ")");
      }
    }
    return sent;
  }

  /** Our copy of the channel's descriptor, made once per channel; negative if it has none. */
  private int socketOf(SocketChannel sc) throws IOException {
    if (sc == channel) {
      return socket;
    }
    releaseSocket();
    int fd = SocketChannelSplice.descriptor(sc);
    if (fd < 0) {
      return -1;
    }
    int copy = PmemNative.duplicate(fd);
    // Once the copy exists, the channel still being open proves the number was still its own
    // (closing marks the channel closed before it closes the descriptor).
    if (!sc.isOpen()) {
      SocketChannelSplice.closeQuietly(copy);
      throw new ClosedChannelException();
    }
    if (copy < 0) {
      throw new IOException(PmemNative.strerror(-copy) + " (duplicating the descriptor of "
          + sc + ")");
    }
    channel = sc;
    socket = copy;
    return copy;
  }

  private void releaseSocket() {
    SocketChannelSplice.closeQuietly(socket);
    socket = -1;
    channel = null;
  }

  /** Closes the file's descriptor and the socket's copy; idempotent. */
  @Override
  public synchronized void close() {
    releaseSocket();
    SocketChannelSplice.closeQuietly(file);
    file = -1;
  }

  @Override
  public String toString() {
    return "FileSender[" + path + "]";
  }
}
