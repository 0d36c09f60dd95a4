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

  /** {@link #spliceToSocket} found no descriptor in the channel. */
  static final long SPLICE_NO_DESCRIPTOR = -1L << 40;

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

  static native ByteBuffer newView(long address, long length);

  /**
   * Lends mapped bytes to a JDK socket channel (vmsplice + splice), no copy.
   *
   * @return bytes the socket took (fewer when a non-blocking socket is full), {@code -errno},
   *     or {@link #SPLICE_NO_DESCRIPTOR}
   */
  static native long spliceToSocket(long address, long length, Object channel);

  static native String strerror(int errno);
}
