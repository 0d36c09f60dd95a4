package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.PmemRegion;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The mapping of a block file's data file and the length every data access stays below: the
 * data capacity, or the replica's length once it is finalized and the file trimmed
 * (short-circuit readers take the end of the file for the end of the block). Trimming keeps the
 * mapping; growing back to the capacity maps the file again when the old mapping is too short.
 * The owning {@link BlockFile} calls {@link #trim} and {@link #grow} under its guard's exclusive
 * lock and reads {@link #region()} under a shared one.
 */
final class DataMapping {
  /** Null for a finalized empty replica opened after a restart. */
  private PmemRegion region;
  private volatile long limit;
  /**
   * Set when sockets got the file's pages by reference other than through the mapping (see
   * {@link #noteLentBySendfile}), or when a mapping that lent pages was replaced by a larger one.
   */
  private volatile boolean lentBeforeRemap;

  DataMapping(PmemRegion region, long limit) {
    this.region = region;
    this.limit = limit;
  }

  /** @return the data file's mapping, or null when it has none (an empty finalized replica) */
  PmemRegion region() {
    return region;
  }

  /** @return the length every data access stays below */
  long limit() {
    return limit;
  }

  /**
   * @return true once sockets got data pages by reference, from this mapping or one it replaced
   */
  boolean hasLentPages() {
    PmemRegion current = region;
    return lentBeforeRemap || (current != null && current.hasLentPages());
  }

  /** Notes that a socket got the data file's pages by sendfile, not through the mapping. */
  void noteLentBySendfile() {
    lentBeforeRemap = true;
  }

  /**
   * Cuts the data file {@code path} to {@code length}; not durable.
   *
   * @throws IllegalArgumentException if {@code length} is negative or above the limit
   * @throws IOException if truncating fails
   */
  void trim(Path path, long length) throws IOException {
    if (length < 0 || length > limit) {
      throw new IllegalArgumentException("cannot trim data file " + path + " of " + limit
          + " bytes to " + length);
    }
    if (length < limit) {
      DataFileLength.truncate(path, length);
      limit = length;
    }
  }

  /**
   * Grows the data file {@code path} back to {@code full} bytes, written with zeros through the
   * file system and synced, and maps it again when the mapping is too short. On failure the
   * file gets its length back.
   *
   * @throws IOException if the volume has no room, syncing or mapping fails
   */
  void grow(Path path, long full, Durability durability) throws IOException {
    if (limit == full) {
      return;
    }
    try {
      DataFileLength.zeroFill(path, limit, full);
      durability.syncFile(path);
      if (region == null || region.length() < full) {
        PmemRegion old = region;
        region = PmemRegion.open(path);
        if (old != null) {
          // The file's pages are the same: what sockets were lent still counts.
          lentBeforeRemap |= old.hasLentPages();
          old.close();
        }
      }
    } catch (IOException | RuntimeException e) {
      DataFileLength.truncate(path, limit);
      throw e;
    }
    limit = full;
  }

  /** @return a mapping for the new owner of the same files, with what this one lent */
  DataMapping copy() {
    DataMapping copy = new DataMapping(region, limit);
    copy.lentBeforeRemap = lentBeforeRemap;
    return copy;
  }
}
