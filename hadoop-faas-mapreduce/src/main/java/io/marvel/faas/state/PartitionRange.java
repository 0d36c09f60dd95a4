package io.marvel.faas.state;

/**
 * Where one reduce partition lies in a map output file, as Hadoop's spill index records it.
 *
 * @param offset offset of the partition in the map output data in bytes
 * @param rawLength uncompressed length of the partition's IFile segment in bytes
 * @param partLength stored length of the segment (compressed, with checksum) in bytes
 */
public record PartitionRange(long offset, long rawLength, long partLength) {
  /** Rejects negative values. */
  public PartitionRange {
    if (offset < 0 || rawLength < 0 || partLength < 0) {
      throw new IllegalArgumentException("negative partition range: offset " + offset
          + ", raw " + rawLength + ", part " + partLength);
    }
  }
}
