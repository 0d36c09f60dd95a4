package io.marvel.hdfs.pmem.store;

import java.util.Objects;

/**
 * What a block file's header says about its replica. Values; a new header is written whole.
 *
 * @param state the persistent state
 * @param blockId HDFS block id (0 for a free file)
 * @param generationStamp HDFS generation stamp
 * @param dataLength bytes of data that are durable, with their checksums
 * @param layout the file's layout
 */
public record BlockFileHeader(BlockFileState state, long blockId, long generationStamp,
    long dataLength, BlockFileLayout layout) {

  /**
   * @throws IllegalArgumentException if the length is negative or exceeds the capacity
   */
  public BlockFileHeader {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(layout, "layout");
    if (dataLength < 0 || dataLength > layout.dataCapacity()) {
      throw new IllegalArgumentException("data length " + dataLength + " outside [0, "
          + layout.dataCapacity() + "] for block " + blockId);
    }
  }

  /** @return the header of an empty file with this layout */
  public static BlockFileHeader free(BlockFileLayout layout) {
    return new BlockFileHeader(BlockFileState.FREE, 0, 0, 0, layout);
  }

  /** @return this header with another data length */
  public BlockFileHeader withLength(long length) {
    return new BlockFileHeader(state, blockId, generationStamp, length, layout);
  }

  /** @return this header with another state */
  public BlockFileHeader withState(BlockFileState newState) {
    return new BlockFileHeader(newState, blockId, generationStamp, dataLength, layout);
  }

  /** @return this header with another generation stamp */
  public BlockFileHeader withGenerationStamp(long stamp) {
    return new BlockFileHeader(state, blockId, stamp, dataLength, layout);
  }
}
