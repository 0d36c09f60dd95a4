package io.marvel.hdfs.pmem.store;

/**
 * Where things sit in a PMEM block file. One file holds one replica:
 *
 * <pre>
 *   [0, 4096)                    header page: two 64-byte header slots (see {@link HeaderCodec})
 *   [4096, 4096 + metaCapacity)  the replica's meta data, byte for byte what HDFS keeps in a
 *                                .meta file: a 7-byte header then one checksum per chunk
 *   [dataOffset, fileLength)     the replica's bytes, dataCapacity of them
 * </pre>
 *
 * The meta area comes first so that its size does not depend on how long the block grows. Every
 * area starts on a 4 KiB boundary, so copies into it stay page-aligned.
 *
 * @param dataCapacity the most bytes a replica in this file can hold
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

  /** @return file offset of the meta area */
  public long metaOffset() {
    return HEADER_BYTES;
  }

  /** @return file offset of the data area */
  public long dataOffset() {
    return HEADER_BYTES + roundUp(metaCapacity);
  }

  /** @return the size of the whole file in bytes */
  public long fileLength() {
    return dataOffset() + roundUp(dataCapacity);
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
