package io.marvel.pmem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A file mapped into memory through libpmem: on a DAX file system (real PMEM) loads and stores
 * reach the media without the page cache; elsewhere (for example tmpfs) it is an ordinary shared
 * mapping, made durable with {@code msync}. The region owns its mapping and unmaps it on
 * {@link #close()}.
 *
 * <p>Durability: {@code write*} copies come in three strengths. {@link #write} leaves the bytes in
 * CPU caches until {@link #persist} covers them; {@link #writeFlushed} issues the flushes but not
 * the final fence, so a later {@link #drain} makes any number of them durable at once;
 * {@link #writeDurable} is durable when it returns. {@link #isPmem()} says which mechanism is
 * used: cache flushes when true, {@code msync} when false; the guarantees are the same.
 *
 * <p>Offsets are {@code long}, so regions may exceed 2 GiB. Every method checks its arguments and
 * the region's state before touching memory: misuse throws, it never crashes the JVM.
 *
 * <p>Thread safety: all methods may be called concurrently. Writers to disjoint ranges need no
 * coordination; overlapping writes are not ordered. {@link #close()} waits for calls in flight.
 *
 * <p>Over 400 lines because it is the one Java owner of a native mapping: some 25 operations,
 * each checking its arguments and the region's state before native code runs, with their
 * durability contracts in Javadoc (about a third of the lines). Views, windows and sends
 * already live in classes of their own.
 */
public final class PmemRegion implements AutoCloseable {
  /** Mode of created files: owner read/write only. */
  private static final int FILE_MODE = 0600;

  private final Path path;
  private final long address;
  private final long length;
  private final boolean pmem;
  /** True when the file's pages are in the page cache (for example tmpfs), false on DAX. */
  private final boolean pageCacheBacked;
  private final ViewWindows views;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Set once a socket got this mapping's pages by reference. */
  private volatile boolean pagesLent;
  /** Set when the kernel refused to lend this mapping's pages: sends copy from then on. */
  private volatile boolean lendingRefused;

  private PmemRegion(Path path, long address, long length, boolean pmem,
      boolean pageCacheBacked) {
    this.path = path;
    this.address = address;
    this.length = length;
    this.pmem = pmem;
    this.pageCacheBacked = pageCacheBacked;
    this.views = new ViewWindows(address, length);
  }

  /**
   * Creates a new file of {@code length} bytes (allocated up front, reading as zeros) and maps it.
   *
   * @param path the file to create; its directory must exist
   * @param length the size in bytes, at least 1
   * @return the open region
   * @throws PmemFileExistsException if the file exists
   * @throws PmemNoSpaceException if the device cannot hold {@code length} bytes
   * @throws PmemException for any other failure, naming the file and the reason
   * @throws PmemUnavailableException if libpmem is not loaded
   */
  public static PmemRegion create(Path path, long length) throws PmemException {
    if (length <= 0) {
      throw new IllegalArgumentException("PMEM region length must be positive, got " + length
          + " for " + path);
    }
    return map(path, length, PmemNative.FILE_CREATE | PmemNative.FILE_EXCL);
  }

  /**
   * Maps an existing file, whole.
   *
   * @param path the file to map
   * @return the open region
   * @throws PmemFileNotFoundException if the file does not exist
   * @throws PmemException if it cannot be mapped (for example an empty file), naming the reason
   * @throws PmemUnavailableException if libpmem is not loaded
   */
  public static PmemRegion open(Path path) throws PmemException {
    return map(path, 0, 0);
  }

  private static PmemRegion map(Path path, long length, int flags) throws PmemException {
    Objects.requireNonNull(path, "path");
    Pmem.ensureAvailable();
    long[] result = new long[3];
    String file = path.toAbsolutePath().toString();
    long address = PmemNative.mapFile(file, length, flags, FILE_MODE, result);
    return new PmemRegion(path, address, result[0], result[1] != 0, result[2] != 0);
  }

  /** @return the mapped file */
  public Path path() {
    return path;
  }

  /** @return the mapped length in bytes */
  public long length() {
    return length;
  }

  /**
   * @return true when libpmem found real PMEM (persisting by cache flushes), false for msync.
   *     {@code PMEM_IS_PMEM_FORCE=1} makes it true on tmpfs, never for a page-cache file of a
   *     disk file system, where only msync makes writes survive a power cut
   */
  public boolean isPmem() {
    return pmem;
  }

  /**
   * @return true when the file's pages are in the page cache (tmpfs, a disk file system), false
   *     for DAX: only then does a socket given its bytes by reference ({@link #transferTo},
   *     {@link FileSender}) hold the file's pages themselves
   */
  public boolean isPageCacheBacked() {
    return pageCacheBacked;
  }

  /** @return true once {@link #close()} has been called */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Copies bytes in; they are durable only after {@link #persist} covers them.
   *
   * @throws IndexOutOfBoundsException if either range is out of bounds
   * @throws IllegalStateException if the region is closed
   */
  public void write(long offset, byte[] src, int srcOffset, int count) {
    copyIn(offset, src, srcOffset, count, PmemNative.COPY_CACHED);
  }

  /**
   * Copies bytes in and flushes them without the final fence; {@link #drain()} makes them
   * durable. The fastest way to make many writes durable together.
   *
   * @throws IndexOutOfBoundsException if either range is out of bounds
   * @throws IllegalStateException if the region is closed
   */
  public void writeFlushed(long offset, byte[] src, int srcOffset, int count) {
    copyIn(offset, src, srcOffset, count, PmemNative.COPY_NODRAIN);
  }

  /**
   * Copies bytes in; they are durable when this returns.
   *
   * @throws IndexOutOfBoundsException if either range is out of bounds
   * @throws IllegalStateException if the region is closed
   * @throws PmemException if {@code msync} fails (non-PMEM mappings only)
   */
  public void writeDurable(long offset, byte[] src, int srcOffset, int count)
      throws PmemException {
    if (pmem) {
      copyIn(offset, src, srcOffset, count, PmemNative.COPY_DURABLE);
    } else {
      copyIn(offset, src, srcOffset, count, PmemNative.COPY_CACHED);
      persist(offset, count);
    }
  }

  /**
   * Copies the remaining bytes of {@code src} in (not yet durable) and advances its position.
   *
   * @throws IndexOutOfBoundsException if the target range is out of bounds
   * @throws IllegalStateException if the region is closed
   */
  public void write(long offset, ByteBuffer src) {
    copyIn(offset, src, PmemNative.COPY_CACHED);
  }

  /** Like {@link #writeFlushed(long, byte[], int, int)} for the remaining bytes of a buffer. */
  public void writeFlushed(long offset, ByteBuffer src) {
    copyIn(offset, src, PmemNative.COPY_NODRAIN);
  }

  /**
   * Like {@link #writeDurable(long, byte[], int, int)} for the remaining bytes of a buffer.
   *
   * @throws PmemException if {@code msync} fails (non-PMEM mappings only)
   */
  public void writeDurable(long offset, ByteBuffer src) throws PmemException {
    int count = src.remaining();
    if (pmem) {
      copyIn(offset, src, PmemNative.COPY_DURABLE);
    } else {
      copyIn(offset, src, PmemNative.COPY_CACHED);
      persist(offset, count);
    }
  }

  /**
   * Sets {@code count} bytes to {@code value}, durably when {@code durable} is true.
   *
   * @throws PmemException if {@code msync} fails (non-PMEM mappings only)
   */
  public void fill(long offset, long count, byte value, boolean durable) throws PmemException {
    Lock lock = acquire(offset, count);
    try {
      PmemNative.fill(address + offset, value, count, durable && pmem);
    } finally {
      lock.unlock();
    }
    if (durable && !pmem) {
      persist(offset, count);
    }
  }

  /**
   * Faults the pages of [offset, offset + count) in, writable, so that later writes find them
   * mapped: one system call for the whole range, far cheaper than a page fault per 4 KiB
   * (tmpfs also zeroes each page on its first fault). The bytes stay as they are. Kernels before
   * 5.14 cannot do it (nothing happens; the caller may touch the pages instead).
   *
   * @param offset a multiple of 4096
   * @return true when the pages are faulted in
   * @throws IllegalArgumentException if {@code offset} is not page-aligned
   * @throws PmemException if the kernel fails otherwise (out of memory, or no space on the file
   *     system behind a sparse file)
   */
  public boolean populate(long offset, long count) throws PmemException {
    if (offset % 4096 != 0) {
      throw new IllegalArgumentException("offset " + offset + " of " + path
          + " is not a multiple of 4096");
    }
    Lock lock = acquire(offset, count);
    try {
      int result = count == 0 ? 0 : PmemNative.populate(address + offset, count);
      if (result == -Errno.EINVAL) {
        return false;
      }
      PmemErrors.check(result, "madvise(MADV_POPULATE_WRITE)", path.toString());
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes [offset, offset + count) durable: cache flushes and a fence on PMEM, {@code msync}
   * otherwise. Durable on return.
   *
   * @throws PmemException if {@code msync} fails
   */
  public void persist(long offset, long count) throws PmemException {
    Lock lock = acquire(offset, count);
    try {
      if (pmem) {
        PmemNative.persist(address + offset, count);
      } else {
        PmemErrors.check(PmemNative.msync(address + offset, count), "pmem_msync",
            path.toString());
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Flushes [offset, offset + count) from CPU caches without waiting; {@link #drain()} completes
   * it. On non-PMEM mappings use {@link #persist} instead: flushing alone does not reach storage.
   */
  public void flush(long offset, long count) {
    Lock lock = acquire(offset, count);
    try {
      PmemNative.flush(address + offset, count);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for earlier flushes and flushed writes of this thread to reach PMEM. On non-PMEM
   * mappings it persists the whole region with {@code msync}, which is what draining means there.
   *
   * @throws PmemException if {@code msync} fails
   * @throws IllegalStateException if the region is closed
   */
  public void drain() throws PmemException {
    if (pmem) {
      // A fence touches no memory of the region, but draining a closed region is a caller bug.
      if (closed.get()) {
        throw new IllegalStateException("PMEM region " + path + " is closed");
      }
      PmemNative.drain();
    } else {
      persist(0, length);
    }
  }

  /**
   * Copies bytes out into {@code dst}.
   *
   * @throws IndexOutOfBoundsException if either range is out of bounds
   * @throws IllegalStateException if the region is closed
   */
  public void read(long offset, byte[] dst, int dstOffset, int count) {
    Objects.checkFromIndexSize(dstOffset, count, dst.length);
    Lock lock = acquire(offset, count);
    try {
      PmemNative.copyToArray(address + offset, dst, dstOffset, count);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Copies {@code dst.remaining()} bytes out into {@code dst} and advances its position.
   *
   * @throws ReadOnlyBufferException if {@code dst} is read-only
   * @throws IndexOutOfBoundsException if the source range is out of bounds
   * @throws IllegalStateException if the region is closed
   */
  public void read(long offset, ByteBuffer dst) {
    if (dst.isReadOnly()) {
      throw new ReadOnlyBufferException();
    }
    int count = dst.remaining();
    int position = dst.position();
    if (dst.hasArray()) {
      read(offset, dst.array(), dst.arrayOffset() + position, count);
    } else {
      Lock lock = acquire(offset, count);
      try {
        checkNative(PmemNative.copyToBuffer(address + offset, dst, position, count), dst);
      } finally {
        lock.unlock();
      }
    }
    dst.position(position + count);
  }

  /**
   * Reads [offset, offset + count) in place: {@code reader} gets a read-only view of the mapped
   * bytes, valid during the call; the region cannot close meanwhile.
   *
   * @return what the reader returned
   * @throws IOException what the reader threw
   * @throws IndexOutOfBoundsException if the range is out of bounds
   * @throws IllegalStateException if the region is closed
   */
  public <T> T withView(long offset, int count, ViewReader<T> reader) throws IOException {
    Lock lock = acquire(offset, count);
    try {
      return reader.read(views.view(offset, count));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes bytes [offset, offset + count) into {@code target}, as {@code FileChannel.transferTo}
   * does. A non-blocking JDK socket channel gets the mapped pages themselves (vmsplice, then
   * splice), as {@code sendfile} hands a socket pages of the page cache: nothing is copied on the
   * way. The socket holds the pages until its peer has read them, so bytes overwritten meanwhile
   * go out overwritten: send only bytes that no longer change, and see {@link #hasLentPages}.
   * Only files in the page cache lend their pages: a DAX file's blocks would be freed on delete,
   * or its truncation stalled, while a slow peer still holds them. Other channels, DAX files and
   * mappings whose pages the kernel will not lend get a copy.
   *
   * @return bytes the target took: fewer than {@code count}, even 0, when a non-blocking target
   *     is full
   * @throws IOException if the target fails; the message starts with the system's reason (for
   *     example "Broken pipe") as a socket write's does
   * @throws IndexOutOfBoundsException if the range is out of bounds
   * @throws IllegalStateException if the region is closed
   */
  public long transferTo(long offset, int count, WritableByteChannel target) throws IOException {
    Lock lock = acquire(offset, count);
    try {
      if (count > 0 && pageCacheBacked && !lendingRefused
          && target instanceof SocketChannel socket && !socket.isBlocking()) {
        long sent = SocketChannelSplice.send(address + offset, count, socket);
        if (sent >= 0) {
          pagesLent |= sent > 0;
          return sent;
        }
        if (sent == SocketChannelSplice.UNSUPPORTED) {
          lendingRefused = true;
        } else if (sent != SocketChannelSplice.BLOCKING) {
          throwUnlessLendingRefused((int) -sent, target);
          lendingRefused = true;
        }
      }
      return copyInto(views.view(offset, count), target);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Like {@link #transferTo}, but always writes a copy: for bytes that may still change.
   *
   * @return bytes the target took
   * @throws IOException if the target fails
   */
  public long copyTo(long offset, int count, WritableByteChannel target) throws IOException {
    Lock lock = acquire(offset, count);
    try {
      return copyInto(views.view(offset, count), target);
    } finally {
      lock.unlock();
    }
  }

  /**
   * @return true once {@link #transferTo} lent this mapping's pages to a socket: until the
   *     sockets' peers have read them, changing those bytes changes what they receive
   */
  public boolean hasLentPages() {
    return pagesLent;
  }

  /** Throws what a failed send means, unless it only says these pages cannot be lent. */
  private void throwUnlessLendingRefused(int errno, WritableByteChannel target)
      throws IOException {
    if (PmemErrors.isClosedDescriptor(errno)) {
      throw new ClosedChannelException();
    }
    if (!PmemErrors.refusesLending(errno)) {
      throw new IOException(PmemNative.strerror(errno) + " (sending " + path + " into " + target
          + ")");
    }
  }

  /** Writes until the view is drained or the target takes nothing more. */
  private static long copyInto(ByteBuffer view, WritableByteChannel target) throws IOException {
    long written = 0;
    while (view.hasRemaining()) {
      int n = target.write(view);
      if (n <= 0) {
        break;
      }
      written += n;
    }
    return written;
  }

  /**
   * Unmaps the region after calls in flight have finished. Idempotent. Data that was not made
   * durable may be lost; persist first.
   *
   * @throws PmemException if unmapping fails (the region is closed regardless)
   */
  @Override
  public void close() throws PmemException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      if (views.any()) {
        PmemErrors.check(PmemNative.retire(address, length), "mmap (retire)", path.toString());
        views.closeRegion();
      } else {
        PmemErrors.check(PmemNative.unmap(address, length), "pmem_unmap", path.toString());
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "PmemRegion[" + path + ", " + length + " bytes, " + (pmem ? "pmem" : "msync")
        + (closed.get() ? ", closed]" : "]");
  }

  private void copyIn(long offset, byte[] src, int srcOffset, int count, int mode) {
    Objects.checkFromIndexSize(srcOffset, count, src.length);
    Lock lock = acquire(offset, count);
    try {
      PmemNative.copyFromArray(src, srcOffset, address + offset, count, mode);
    } finally {
      lock.unlock();
    }
  }

  private void copyIn(long offset, ByteBuffer src, int mode) {
    int count = src.remaining();
    int position = src.position();
    if (src.hasArray()) {
      copyIn(offset, src.array(), src.arrayOffset() + position, count, mode);
    } else if (src.isDirect()) {
      Lock lock = acquire(offset, count);
      try {
        checkNative(PmemNative.copyFromBuffer(src, position, address + offset, count, mode), src);
      } finally {
        lock.unlock();
      }
    } else {
      // A read-only heap buffer hides its array: copy through a temporary one.
      byte[] copy = new byte[count];
      src.duplicate().get(copy);
      copyIn(offset, copy, 0, count, mode);
    }
    src.position(position + count);
  }

  private static void checkNative(int result, ByteBuffer buffer) {
    if (result < 0) {
      throw new IllegalArgumentException("buffer has no native address: " + buffer);
    }
  }

  /** Checks the range without overflow, then holds the region open until the lock is released. */
  private Lock acquire(long offset, long count) {
    Objects.checkFromIndexSize(offset, count, length);
    Lock lock = lifecycle.readLock();
    lock.lock();
    if (closed.get()) {
      lock.unlock();
      throw new IllegalStateException("PMEM region " + path + " is closed");
    }
    return lock;
  }
}
