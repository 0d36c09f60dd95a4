package io.marvel.hdfs.pmem.store;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.util.DataChecksum;

/**
 * The checksum stream of a PMEM replica: writes go to the meta area with cache flushes. Its
 * durability comes from the data stream's {@code flush}, which the block receiver calls after
 * flushing this one, and which asks {@link #covers} whether the checksums of the data written
 * are all here. {@link #rewind} steps back over the last checksum, so that the checksum of a
 * partial chunk can be rewritten. Used by one receiver thread at a time.
 */
public final class ReplicaMetaOutput extends OutputStream {
  private final BlockFile file;
  private final DataChecksum checksum;
  private long position;
  /** End of what was written: a write below it overwrites a checksum. */
  private long written;
  /** Whether checksums were written since the data stream last wrote data. */
  private boolean writtenSinceData = true;

  ReplicaMetaOutput(BlockFile file, DataChecksum checksum, long position) {
    this.file = file;
    this.checksum = checksum;
    this.position = position;
    this.written = position;
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
    boolean rewrite = position < written;
    if (rewrite) {
      PmemFaultInjector.get().beforeChecksumRewrite(file.metaPath());
    }
    try {
      file.writeMeta(position, src, offset, count);
    } catch (IllegalStateException e) {
      throw new IOException("block file " + file.path() + " was closed during a write", e);
    }
    position += count;
    written = Math.max(written, position);
    writtenSinceData = true;
    if (rewrite) {
      PmemFaultInjector.get().afterChecksumRewrite(file.metaPath());
    }
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

  /** Notes that data was written, whose checksums are still to come. */
  void dataWritten() {
    writtenSinceData = false;
  }

  /**
   * Whether the checksums of {@code dataLength} bytes of data are all written: as many as that
   * length needs, and written after the data. The block receiver flushes the data before it
   * rewrites the checksum of a partial chunk, and at that moment the count is right but the last
   * checksum is still the old one.
   *
   * @param dataLength bytes of data written
   * @return true when that length may be recorded
   */
  boolean covers(long dataLength) {
    int size = checksum.getChecksumSize();
    return position == BlockFileLayout.metaLength(checksum.getBytesPerChecksum(), size,
        dataLength) && (size == 0 || writtenSinceData);
  }
}
