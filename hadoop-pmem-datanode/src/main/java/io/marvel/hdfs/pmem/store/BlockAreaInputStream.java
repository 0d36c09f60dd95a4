package io.marvel.hdfs.pmem.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a range of a block file's data or meta area, copying out of the mapping. Not
 * thread-safe, like any stream.
 */
public final class BlockAreaInputStream extends InputStream {
  /** Which area of the file a stream reads. */
  public enum Area {
    /** The replica's bytes. */
    DATA,
    /** The replica's meta data (header and checksums). */
    META
  }

  private final BlockFile file;
  private final Area area;
  private final long end;
  private long position;

  /**
   * @param file the block file; must stay open while the stream is read
   * @param area the area to read
   * @param start first offset within the area
   * @param end offset after the last byte to read
   */
  public BlockAreaInputStream(BlockFile file, Area area, long start, long end) {
    if (start < 0 || start > end) {
      throw new IllegalArgumentException("invalid range [" + start + ", " + end + ") of "
          + file.path());
    }
    this.file = file;
    this.area = area;
    this.position = start;
    this.end = end;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] dst, int offset, int count) throws IOException {
    int n;
    try {
      n = readAt(file, area, position, end, dst, offset, count);
    } catch (IllegalStateException e) {
      // The replica was deleted or its volume removed while this stream was open.
      throw new IOException("block file " + file.path() + " was closed during a read", e);
    }
    if (n > 0) {
      position += n;
    }
    return n;
  }

  /**
   * Reads up to {@code count} bytes of an area from {@code position}, never past {@code end}:
   * the read of this stream and of {@link MappedAreaChannel}.
   *
   * @return bytes read; 0 if {@code count} is 0; -1 at or past {@code end}
   * @throws IllegalStateException if the file was closed; the caller says what was being read
   */
  static int readAt(BlockFile file, Area area, long position, long end, byte[] dst, int offset,
      int count) {
    if (count == 0) {
      return 0;
    }
    if (position >= end) {
      return -1;
    }
    int n = (int) Math.min(count, end - position);
    if (area == Area.DATA) {
      file.readData(position, dst, offset, n);
    } else {
      file.readMeta(position, dst, offset, n);
    }
    return n;
  }

  @Override
  public long skip(long n) {
    long skipped = Math.max(0, Math.min(n, end - position));
    position += skipped;
    return skipped;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, end - position);
  }
}
