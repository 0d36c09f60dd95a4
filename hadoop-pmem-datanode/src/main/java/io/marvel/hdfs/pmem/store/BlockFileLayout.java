package io.marvel.hdfs.pmem.store;

/**
 * Where things sit in the two files of a PMEM replica, laid out so that an HDFS client reading
 * short-circuit can open them as the stock block and meta files:
 *
 * <pre>
 *   data file blk_&lt;id&gt;
 *     [0, dataCapacity)          the replica's bytes; offset 0 is the block's first byte
 *   meta file blk_&lt;id&gt;.meta
 *     [0, metaCapacity)          exactly what HDFS keeps in a .meta file: a 7-byte header, then
 *                                one checksum per chunk
 *     [headerOffset, +4096)      header page: two 64-byte header slots (see {@link HeaderCodec})
 * </pre>
 *
 * The header page is the last page of the meta file, after the room reserved for checksums, so
 * that it is found without knowing the layout and readers of the stock format never reach it.
 * Both files are whole pages long, so every copy into them stays page-aligned.
 *
 * @param dataCapacity the most bytes a replica in these files can hold
 * @param metaCapacity bytes reserved for the meta data
 */
public record BlockFileLayout(long dataCapacity, long metaCapacity) {
  /** Size of the header page in bytes. */
  public static final long HEADER_BYTES = 4096;
  /** Bytes of the meta header HDFS writes before the checksums (version, type, chunk size). */
  public static final int META_HEADER_BYTES = 7;
  /** Largest checksum HDFS uses (CRC32 and CRC32C), in bytes. */
  public static final int MAX_CHECKSUM_BYTES = 4;
  private static final long PAGE = 4096;

  /**
   * @throws IllegalArgumentException if a capacity is not positive
   */
  public BlockFileLayout {
    if (dataCapacity <= 0 || metaCapacity < META_HEADER_BYTES) {
      throw new IllegalArgumentException("invalid block file layout: data capacity "
          + dataCapacity + ", meta capacity " + metaCapacity);
    }
  }

  /**
   * The layout for replicas of up to {@code dataCapacity} bytes checksummed every
   * {@code minBytesPerChecksum} bytes or more.
   *
   * @param dataCapacity largest replica in bytes, positive
   * @param minBytesPerChecksum smallest chunk size that must fit, positive
   * @return the layout
   */
  public static BlockFileLayout forCapacity(long dataCapacity, int minBytesPerChecksum) {
    if (minBytesPerChecksum <= 0) {
      throw new IllegalArgumentException("bytes per checksum must be positive, got "
          + minBytesPerChecksum);
    }
    long chunks = (dataCapacity + minBytesPerChecksum - 1) / minBytesPerChecksum;
    return new BlockFileLayout(dataCapacity, META_HEADER_BYTES + chunks * MAX_CHECKSUM_BYTES);
  }

  /** @return the size of the data file in bytes */
  public long dataFileLength() {
    return roundUp(dataCapacity);
  }

  /** @return offset of the header page in the meta file */
  public long headerOffset() {
    return roundUp(metaCapacity);
  }

  /** @return the size of the meta file in bytes */
  public long metaFileLength() {
    return headerOffset() + HEADER_BYTES;
  }

  /** @return bytes both files of a replica occupy on the volume */
  public long bytesOnVolume() {
    return dataFileLength() + metaFileLength();
  }

  /**
   * @param bytesPerChecksum chunk size
   * @param checksumSize bytes per checksum
   * @param dataLength replica length in bytes
   * @return the length of the meta data for a replica of {@code dataLength} bytes
   */
  public static long metaLength(int bytesPerChecksum, int checksumSize, long dataLength) {
    long chunks = (dataLength + bytesPerChecksum - 1) / bytesPerChecksum;
    return META_HEADER_BYTES + chunks * checksumSize;
  }

  private static long roundUp(long bytes) {
    return (bytes + PAGE - 1) / PAGE * PAGE;
  }
}
