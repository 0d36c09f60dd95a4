package io.marvel.faas.state;

import io.marvel.pmem.PmemRegion;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.PositionedReadable;
import org.apache.hadoop.fs.Seekable;

/**
 * A seekable stream over a window of a PMEM region, so Hadoop's {@code IFile.Reader} reads map
 * output straight from the mapping. Positions are relative to the window. Not thread-safe; the
 * region must stay open while the stream is used (closing the stream does not close it).
 */
final class RegionInputStream extends InputStream implements Seekable, PositionedReadable {
  private final PmemRegion region;
  private final long base;
  private final long length;
  private long position;

  RegionInputStream(PmemRegion region, long base, long length) {
    if (base < 0 || length < 0 || base + length > region.length()) {
      throw new IllegalArgumentException("window [" + base + ", +" + length + ") outside "
          + region);
    }
    this.region = region;
    this.base = base;
    this.length = length;
  }

  @Override
  public int read() {
    if (position >= length) {
      return -1;
    }
    byte[] one = new byte[1];
    region.read(base + position, one, 0, 1);
    position++;
    return one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int count) {
    int n = read(position, buffer, offset, count);
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public int read(long at, byte[] buffer, int offset, int count) {
    if (count == 0) {
      return 0;
    }
    if (at >= length) {
      return -1;
    }
    int n = (int) Math.min(count, length - at);
    region.read(base + at, buffer, offset, n);
    return n;
  }

  @Override
  public void readFully(long at, byte[] buffer, int offset, int count) throws IOException {
    if (at < 0 || at + count > length) {
      throw new EOFException("read of " + count + " bytes at " + at + " past end of "
          + length + "-byte window in " + region.path());
    }
    region.read(base + at, buffer, offset, count);
  }

  @Override
  public void readFully(long at, byte[] buffer) throws IOException {
    readFully(at, buffer, 0, buffer.length);
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

  @Override
  public void seek(long at) throws IOException {
    if (at < 0 || at > length) {
      throw new EOFException("seek to " + at + " outside " + length + "-byte window in "
          + region.path());
    }
    position = at;
  }

  @Override
  public long getPos() {
    return position;
  }

  @Override
  public boolean seekToNewSource(long targetPos) {
    return false;
  }
}
