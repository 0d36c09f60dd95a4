package io.marvel.faas.state;

import io.marvel.pmem.PmemRegion;
import io.marvel.pmem.RegionInputStream;
import org.apache.hadoop.fs.PositionedReadable;
import org.apache.hadoop.fs.Seekable;

/**
 * native-pmem's region stream as Hadoop's {@code FSDataInputStream} needs it, so that
 * {@code IFile.Reader} reads map output straight from the mapping; the methods of both
 * interfaces are the region stream's own. Not thread-safe; the region must stay open while the
 * stream is used.
 */
final class SeekableRegionInputStream extends RegionInputStream
    implements Seekable, PositionedReadable {
  SeekableRegionInputStream(PmemRegion region, long base, long length) {
    super(region, base, length);
  }

  @Override
  public boolean seekToNewSource(long targetPos) {
    return false;
  }
}
