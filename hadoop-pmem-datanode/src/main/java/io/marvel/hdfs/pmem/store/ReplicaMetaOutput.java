package io.marvel.hdfs.pmem.store;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The checksum stream of a PMEM replica: writes go to the meta area with cache flushes. Its
 * durability comes from the data stream's {@code flush}, which the block receiver calls after
 * flushing this one. {@link #rewind} steps back over the last checksum, so that the checksum
 * of a partial chunk can be rewritten.
 */
public final class ReplicaMetaOutput extends OutputStream {
  private final BlockFile file;
  private long position;

  ReplicaMetaOutput(BlockFile file, long position) {
    this.file = file;
    this.position = position;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] src, int offset, int count) throws IOException {
    if (count > file.layout().metaCapacity() - position) {
      throw new IOException("checksums outgrow the meta area of PMEM block file " + file.path()
          + " (" + file.layout().metaCapacity() + " bytes): the block is larger than the block"
          + " capacity or uses a smaller dfs.bytes-per-checksum than the volume was laid out for");
    }
    try {
      file.writeMeta(position, src, offset, count);
    } catch (IllegalStateException e) {
      throw new IOException("block file " + file.path() + " was closed during a write", e);
    }
    position += count;
  }

  /**
   * Moves the write position back.
   *
   * @param bytes how far, in bytes
   * @throws IOException if that would move before the meta header
   */
  public void rewind(int bytes) throws IOException {
    if (bytes < 0 || position - bytes < 0) {
      throw new IOException("cannot rewind the checksums of " + file.path() + " by " + bytes
          + " bytes from " + position);
    }
    position -= bytes;
  }
}
