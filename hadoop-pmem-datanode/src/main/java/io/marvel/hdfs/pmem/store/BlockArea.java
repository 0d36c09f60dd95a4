package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.RegionInputStream;
import java.io.InputStream;

/** Which area of a block file a reader reads: the replica's bytes or its meta data. */
public enum BlockArea {
  /** The replica's bytes. */
  DATA {
    @Override
    void read(BlockFile file, long position, byte[] dst, int offset, int count) {
      file.readData(position, dst, offset, count);
    }
  },
  /** The replica's meta data (header and checksums). */
  META {
    @Override
    void read(BlockFile file, long position, byte[] dst, int offset, int count) {
      file.readMeta(position, dst, offset, count);
    }
  };

  /**
   * Copies [position, position + count) of this area out.
   *
   * @throws IllegalStateException if the file was closed or handed over
   */
  abstract void read(BlockFile file, long position, byte[] dst, int offset, int count);

  /**
   * A stream over [start, end) of this area, copying out of the mapping; the file must stay
   * open while it is read (a read of a closed file fails with an {@code IOException}).
   *
   * @throws IllegalArgumentException if {@code start} is negative or after {@code end}
   */
  public InputStream stream(BlockFile file, long start, long end) {
    return new RegionInputStream((at, dst, offset, count) -> read(file, at, dst, offset, count),
        "block file " + file.path(), start, end - start);
  }
}
