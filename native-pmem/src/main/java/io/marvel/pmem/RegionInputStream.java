package io.marvel.pmem;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream over the window [base, base + length) of a region's bytes, copying them out of the
 * mapping; positions are relative to the window. Besides {@link InputStream} it offers
 * positioned reads and seeking with the signatures of Hadoop's {@code PositionedReadable} and
 * {@code Seekable}, so a subclass in a Hadoop module only declares those interfaces. Not
 * thread-safe, like any stream; closing it leaves the region open.
 */
public class RegionInputStream extends InputStream {
  /** Reads a region's bytes: {@link PmemRegion#read}, or an owner that guards its regions. */
  @FunctionalInterface
  public interface Source {
    /**
     * Copies [offset, offset + count) into {@code dst}.
     *
     * @throws IllegalStateException if the region was closed
     */
    void read(long offset, byte[] dst, int dstOffset, int count);
  }

  private final Source source;
  private final String name;
  private final long base;
  private final long length;
  private long position;

  /**
   * A stream over [base, base + length) of {@code region}.
   *
   * @throws IllegalArgumentException if the window is outside the region
   */
  public RegionInputStream(PmemRegion region, long base, long length) {
    this(region::read, region.path().toString(), base, length);
    if (base + length > region.length()) {
      throw new IllegalArgumentException("window [" + base + ", +" + length + ") outside "
          + region);
    }
  }

  /**
   * A stream over [base, base + length) of what {@code source} reads.
   *
   * @param name names the source in messages
   * @throws IllegalArgumentException if base or length is negative
   */
  public RegionInputStream(Source source, String name, long base, long length) {
    if (base < 0 || length < 0) {
      throw new IllegalArgumentException("invalid window [" + base + ", +" + length + ") of "
          + name);
    }
    this.source = source;
    this.name = name;
    this.base = base;
    this.length = length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] dst, int offset, int count) throws IOException {
    int n = read(position, dst, offset, count);
    if (n > 0) {
      position += n;
    }
    return n;
  }

  /**
   * Reads up to {@code count} bytes at window position {@code at}, leaving the stream's
   * position alone.
   *
   * @return bytes read; 0 if {@code count} is 0; -1 at or past the window's end
   * @throws IOException if the region was closed meanwhile
   */
  public int read(long at, byte[] dst, int offset, int count) throws IOException {
    if (count == 0) {
      return 0;
    }
    if (at >= length) {
      return -1;
    }
    int n = (int) Math.min(count, length - at);
    copy(at, dst, offset, n);
    return n;
  }

  /**
   * Reads exactly {@code count} bytes at window position {@code at}.
   *
   * @throws EOFException if the window ends before
   * @throws IOException if the region was closed meanwhile
   */
  public void readFully(long at, byte[] dst, int offset, int count) throws IOException {
    if (at < 0 || at + count > length) {
      throw new EOFException("read of " + count + " bytes at " + at + " past end of "
          + length + "-byte window in " + name);
    }
    copy(at, dst, offset, count);
  }

  /** As {@link #readFully(long, byte[], int, int)} for the whole of {@code dst}. */
  public void readFully(long at, byte[] dst) throws IOException {
    readFully(at, dst, 0, dst.length);
  }

  private void copy(long at, byte[] dst, int offset, int count) throws IOException {
    try {
      source.read(base + at, dst, offset, count);
    } catch (IllegalStateException e) {
      throw new IOException(name + " was closed during a read", e);
    }
  }

  @Override
  public long skip(long count) {
    long n = Math.max(0, Math.min(count, length - position));
    position += n;
    return n;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, length - position);
  }

  /**
   * Moves to window position {@code at}.
   *
   * @throws EOFException if {@code at} is outside the window
   */
  public void seek(long at) throws IOException {
    if (at < 0 || at > length) {
      throw new EOFException("seek to " + at + " outside " + length + "-byte window in "
          + name);
    }
    position = at;
  }

  /** @return the position within the window */
  public long getPos() {
    return position;
  }
}
