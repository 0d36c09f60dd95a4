package io.marvel.hdfs.pmem.store;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * A {@link FileInputStream} of a PMEM replica's data or meta file that reads from the mapping.
 * It is a real file stream because the DataNode needs one: {@code getFD()} is a descriptor of
 * the file, which the DataNode passes to short-circuit clients over a domain socket, and
 * {@link #getChannel()} is what the block sender uses for {@code sendfile}; here it is a
 * {@link MappedAreaChannel}, so sending also comes from the mapping. Every read method reads
 * the mapping, never the descriptor.
 *
 * <p>Not thread-safe, like any stream.
 */
public final class ReplicaFileInputStream extends FileInputStream {
  private static final int COPY_BYTES = 64 * 1024;
  private final MappedAreaChannel channel;
  private boolean closed;

  private ReplicaFileInputStream(BlockFile file, BlockArea area, long start, long end)
      throws IOException {
    super((area == BlockArea.DATA ? file.path() : file.metaPath()).toFile());
    try {
      channel = new MappedAreaChannel(file, area, start, end, this);
    } catch (RuntimeException e) {
      super.close();
      throw e;
    }
  }

  /**
   * Opens the data file, positioned at {@code start}.
   *
   * @param file the replica's files; must stay open while the stream is read
   * @param start first byte to read, at most {@code end}
   * @param end the replica's length in bytes: reads end there
   * @return the stream
   * @throws java.io.FileNotFoundException if the data file is gone (the replica was deleted)
   * @throws IllegalArgumentException if {@code start} is outside [0, end]
   */
  public static ReplicaFileInputStream data(BlockFile file, long start, long end)
      throws IOException {
    return new ReplicaFileInputStream(file, BlockArea.DATA, start, end);
  }

  /**
   * Opens the meta file at offset 0.
   *
   * @param file the replica's files; must stay open while the stream is read
   * @param end the length of the meta data covering the replica's bytes
   * @return the stream
   * @throws java.io.FileNotFoundException if the meta file is gone (the replica was deleted)
   */
  public static ReplicaFileInputStream meta(BlockFile file, long end) throws IOException {
    return new ReplicaFileInputStream(file, BlockArea.META, 0, end);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return channel.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] dst) throws IOException {
    return channel.read(dst, 0, dst.length);
  }

  @Override
  public int read(byte[] dst, int offset, int count) throws IOException {
    return channel.read(dst, offset, count);
  }

  @Override
  public byte[] readAllBytes() throws IOException {
    return readNBytes(Integer.MAX_VALUE);
  }

  @Override
  public byte[] readNBytes(int len) throws IOException {
    if (len < 0) {
      throw new IllegalArgumentException("negative length " + len);
    }
    int size = (int) Math.min(len, channel.remaining());
    byte[] bytes = new byte[size];
    int n = readNBytes(bytes, 0, size);
    return n == size ? bytes : Arrays.copyOf(bytes, n);
  }

  @Override
  public long transferTo(OutputStream out) throws IOException {
    byte[] buffer = new byte[COPY_BYTES];
    long total = 0;
    for (int n = read(buffer); n >= 0; n = read(buffer)) {
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  @Override
  public long skip(long n) throws IOException {
    return channel.skip(n);
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(Integer.MAX_VALUE, channel.remaining());
  }

  /** @return the channel reading the mapping; position shared with this stream */
  @Override
  public FileChannel getChannel() {
    return channel;
  }

  /** Closes the descriptor and the channel; idempotent. */
  @Override
  public void close() throws IOException {
    synchronized (channel) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      channel.close();
    } finally {
      super.close();
    }
  }
}
