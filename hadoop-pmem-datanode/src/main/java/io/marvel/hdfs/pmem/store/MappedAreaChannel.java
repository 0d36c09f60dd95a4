package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.FileSender;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * A read-only {@link FileChannel} over one area of a PMEM replica, [0, size) of its data or
 * meta file, that reads from the mapping instead of the file descriptor. The DataNode's block
 * sender hands {@link #transferTo} a socket: the socket gets the data's pages by reference, with
 * no copy, as {@code sendfile} hands it a stock replica's pages of the page cache (on tmpfs by a
 * {@link FileSender} of the data file, opened at the first transfer and closed with the channel,
 * else from the mapping; see {@link BlockFile#transferData(long, int, WritableByteChannel,
 * FileSender)}). Writing, mapping and locking are refused.
 *
 * <p>The position is shared with the {@link ReplicaFileInputStream} that created the channel,
 * as a stock stream and its channel share the descriptor's offset. Thread safety: positional
 * reads and {@link #transferTo} may run concurrently; relative reads are synchronized.
 */
final class MappedAreaChannel extends FileChannel {
  private final BlockFile file;
  private final BlockArea area;
  private final long size;
  private final Closeable owner;
  private long position;
  private FileSender sender;
  private boolean senderOpened;

  /**
   * @param file the replica's files; must stay open while the channel is used
   * @param area the area read
   * @param start the first position
   * @param size bytes readable: the replica's data or meta length when opened
   * @param owner the stream owning the descriptor, closed with the channel as a stock file
   *     channel closes its stream
   */
  MappedAreaChannel(BlockFile file, BlockArea area, long start, long size, Closeable owner) {
    if (start < 0 || start > size) {
      throw new IllegalArgumentException("start " + start + " outside [0, " + size + "] of "
          + file.path());
    }
    this.file = file;
    this.area = area;
    this.position = start;
    this.size = size;
    this.owner = owner;
  }

  /** Reads into a byte array at the current position; -1 at the end. */
  synchronized int read(byte[] dst, int offset, int count) throws IOException {
    Objects.checkFromIndexSize(offset, count, dst.length);
    ensureOpen();
    int n;
    try {
      n = readAt(position, dst, offset, count);
    } catch (IllegalStateException e) {
      throw closedDuringRead(e);
    }
    if (n > 0) {
      position += n;
    }
    return n;
  }

  /** @return bytes read at {@code at}; 0 if {@code count} is 0; -1 at or past the end */
  private int readAt(long at, byte[] dst, int offset, int count) {
    if (count == 0) {
      return 0;
    }
    if (at >= size) {
      return -1;
    }
    int n = (int) Math.min(count, size - at);
    area.read(file, at, dst, offset, n);
    return n;
  }

  /** Moves the position forward by up to {@code n} bytes, not past the end. */
  synchronized long skip(long n) throws IOException {
    ensureOpen();
    long skipped = Math.max(0, Math.min(n, size - position));
    position += skipped;
    return skipped;
  }

  /** @return bytes between the position and the end */
  synchronized long remaining() throws IOException {
    ensureOpen();
    return Math.max(0, size - position);
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    int n = read(dst, position);
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public synchronized long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, dsts.length);
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      int n = read(dsts[i]);
      if (n < 0) {
        return total == 0 ? -1 : total;
      }
      total += n;
      if (dsts[i].hasRemaining()) {
        break;
      }
    }
    return total;
  }

  @Override
  public int read(ByteBuffer dst, long at) throws IOException {
    if (at < 0) {
      throw new IllegalArgumentException("negative position " + at);
    }
    ensureOpen();
    if (!dst.hasRemaining()) {
      return 0;
    }
    if (at >= size) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), size - at);
    ByteBuffer slice = dst.slice(dst.position(), n);
    try {
      if (area == BlockArea.DATA) {
        file.readData(at, slice);
      } else {
        // Meta reads are small (checksums); a copy through an array is good enough.
        byte[] bytes = new byte[n];
        file.readMeta(at, bytes, 0, n);
        slice.put(bytes);
      }
    } catch (IllegalStateException e) {
      throw closedDuringRead(e);
    }
    dst.position(dst.position() + n);
    return n;
  }

  /**
   * Writes bytes [at, at + count) of the area (clipped to the size) from the mapping into
   * {@code target}, without moving this channel's position. A non-blocking target may take
   * fewer bytes, even none; the caller waits and calls again, as
   * {@code SocketOutputStream.transferToFully} does.
   *
   * @return bytes written, 0 when {@code at} is at or past the end
   * @throws IOException if the target fails or the replica was deleted meanwhile
   */
  @Override
  public long transferTo(long at, long count, WritableByteChannel target) throws IOException {
    if (at < 0 || count < 0) {
      throw new IllegalArgumentException("negative position " + at + " or count " + count);
    }
    ensureOpen();
    if (at >= size || count == 0) {
      return 0;
    }
    int n = (int) Math.min(Math.min(count, size - at), Integer.MAX_VALUE);
    try {
      return area == BlockArea.DATA ? file.transferData(at, n, target, sender())
          : file.copyMeta(at, n, target);
    } catch (IllegalStateException e) {
      throw closedDuringRead(e);
    }
  }

  /** The data file's sender, opened at the first transfer; null where the mapping sends. */
  private synchronized FileSender sender() throws IOException {
    ensureOpen(); // a sender opened after close would never be closed
    if (!senderOpened) {
      senderOpened = true;
      sender = file.openDataSender();
    }
    return sender;
  }

  @Override
  public synchronized long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public synchronized FileChannel position(long newPosition) throws IOException {
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    ensureOpen();
    position = newPosition;
    return this;
  }

  /** @return the area's readable length in bytes (the replica's length when opened) */
  @Override
  public long size() throws IOException {
    ensureOpen();
    return size;
  }

  /** Nothing to force: the channel never writes. */
  @Override
  public void force(boolean metaData) throws IOException {
    ensureOpen();
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw new NonWritableChannelException();
  }

  @Override
  public int write(ByteBuffer src, long at) {
    throw new NonWritableChannelException();
  }

  @Override
  public FileChannel truncate(long newSize) {
    throw new NonWritableChannelException();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long at, long count) {
    throw new NonWritableChannelException();
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long at, long count) {
    throw new UnsupportedOperationException("PMEM replica " + file.path()
        + " is mapped by the DataNode already; read it through the channel");
  }

  @Override
  public FileLock lock(long at, long count, boolean shared) {
    throw new UnsupportedOperationException("locking PMEM replica " + file.path());
  }

  @Override
  public FileLock tryLock(long at, long count, boolean shared) {
    throw new UnsupportedOperationException("locking PMEM replica " + file.path());
  }

  @Override
  protected void implCloseChannel() throws IOException {
    try {
      synchronized (this) {
        if (sender != null) {
          sender.close();
        }
      }
    } finally {
      owner.close();
    }
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!isOpen()) {
      throw new ClosedChannelException();
    }
  }

  private IOException closedDuringRead(IllegalStateException e) {
    // The replica was deleted or its volume removed while this channel was open.
    return new IOException("PMEM replica " + file.path() + " was closed during a read", e);
  }
}
