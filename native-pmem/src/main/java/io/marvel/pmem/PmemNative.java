package io.marvel.pmem;

import java.nio.ByteBuffer;

/**
 * Every native method of native-pmem. Callers in this package check bounds, buffers and the
 * region's state first: these methods trust their arguments. Methods returning {@code int}
 * return 0 (or a count) on success and {@code -errno} on failure.
 */
final class PmemNative {
  /** {@code pmem_map_file} flags, as in libpmem.h. */
  static final int FILE_CREATE = 1;
  static final int FILE_EXCL = 2;

  /** Copy modes of {@link #copyFromArray} and {@link #copyFromBuffer}. */
  static final int COPY_CACHED = 0;
  static final int COPY_NODRAIN = 1;
  static final int COPY_DURABLE = 2;

  /**
   * Indices into {@link #errnoValues}: the C side fills in each errno's value, so Java never
   * hard-codes one. {@code javac -h} copies these into the C header.
   */
  static final int ERRNO_EPERM = 0;
  static final int ERRNO_ENOENT = 1;
  static final int ERRNO_EIO = 2;
  static final int ERRNO_EBADF = 3;
  static final int ERRNO_EAGAIN = 4;
  static final int ERRNO_EACCES = 5;
  static final int ERRNO_EFAULT = 6;
  static final int ERRNO_EEXIST = 7;
  static final int ERRNO_EINVAL = 8;
  static final int ERRNO_ENOSPC = 9;
  static final int ERRNO_EPIPE = 10;
  static final int ERRNO_ENOSYS = 11;
  static final int ERRNO_EOPNOTSUPP = 12;
  static final int ERRNO_EDQUOT = 13;
  static final int ERRNO_COUNT = 14;

  private PmemNative() {
  }

  /** @return null when the loaded libpmem is compatible, else libpmem's explanation */
  static native String checkVersion();

  /**
   * Maps a file; throws a {@link PmemException} naming the file on failure.
   *
   * @param result receives the mapped length and 1 when the mapping is real PMEM
   * @return the address of the mapping
   */
  static native long mapFile(String path, long length, int flags, int mode, long[] result)
      throws PmemException;

  static native int unmap(long address, long length);

  /** Replaces the mapping with anonymous memory so escaped views stay harmless. */
  static native int retire(long address, long length);

  /** Unmaps what {@link #retire} left. */
  static native int release(long address, long length);

  static native void copyFromArray(byte[] src, int offset, long dst, int length, int mode);

  static native int copyFromBuffer(ByteBuffer src, int position, long dst, int length, int mode);

  static native void copyToArray(long src, byte[] dst, int offset, int length);

  static native int copyToBuffer(long src, ByteBuffer dst, int position, int length);

  static native void fill(long dst, int value, long length, boolean durable);

  static native void persist(long address, long length);

  static native int msync(long address, long length);

  static native void flush(long address, long length);

  static native void drain();

  /** @return 0 once [address, address + length) is faulted in writable, or {@code -errno} */
  static native int populate(long address, long length);

  static native ByteBuffer newView(long address, long length);

  /**
   * @return the descriptor of a JDK socket channel, or -1 when it has none this code knows of
   */
  static native int socketDescriptor(Object channel);

  /** @return a new descriptor (close-on-exec) for the same open file, or {@code -errno} */
  static native int duplicate(int fd);

  static native int closeDescriptor(int fd);

  /**
   * Opens a non-blocking pipe and raises its capacity to {@code capacity} bytes if allowed.
   *
   * @param ends receives the read end, then the write end
   */
  static native int openPipe(int[] ends, int capacity);

  /** @return bytes of the mapping lent to the pipe (non-blocking, no copy), or {@code -errno} */
  static native long vmsplice(int pipeWriteEnd, long address, long length);

  /** @return bytes moved from the pipe into the socket (no copy), or {@code -errno} */
  static native long splice(int pipeReadEnd, int socket, long length);

  /** posix_fallocate of a range of a file; 0 or {@code -errno}. */
  static native int allocate(String path, long offset, long length);

  /** Puts the calling thread under SCHED_IDLE; 0 or {@code -errno}. */
  static native int runWhenIdle();

  /** @return a read-only descriptor (close-on-exec) of the file, or {@code -errno} */
  static native int openForReading(String path);

  /**
   * @return bytes of the file from {@code offset} that the socket took (sendfile, no copy from a
   *     page-cache file), 0 at the file's end, or {@code -errno}
   */
  static native long sendFile(int socket, int file, long offset, long length);

  /** @return 1 once the socket can take bytes (or failed), 0 after timeoutMillis, or -errno */
  static native int awaitWritable(int socket, int timeoutMillis);

  /** Fills {@code values[ERRNO_x]} with the system's value of each errno named above. */
  static native void errnoValues(int[] values);

  static native String strerror(int errno);
}
