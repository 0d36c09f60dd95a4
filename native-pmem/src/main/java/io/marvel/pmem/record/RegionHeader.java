package io.marvel.pmem.record;

/**
 * The persistent header of a region: what the region holds ({@code magic}, {@code version}) and
 * how many bytes of it are durable ({@code persistedLength}, counted from the end of the header).
 * {@code sequence} grows by one with every commit; the newest valid copy wins at recovery.
 *
 * @param magic identifies the owner's format, never 0
 * @param version the owner's format version
 * @param sequence commit counter, starting at 1 when the header is formatted
 * @param persistedLength bytes after the header that are durable, in bytes
 */
public record RegionHeader(long magic, int version, long sequence, long persistedLength) {
  /** @throws IllegalArgumentException if a field is out of range */
  public RegionHeader {
    if (magic == 0) {
      throw new IllegalArgumentException("header magic must not be 0");
    }
    if (sequence < 1 || persistedLength < 0) {
      throw new IllegalArgumentException("bad header: sequence " + sequence
          + ", persisted length " + persistedLength);
    }
  }

  /** @return the header that the next commit of {@code newLength} writes */
  public RegionHeader next(long newLength) {
    return new RegionHeader(magic, version, sequence + 1, newLength);
  }
}
