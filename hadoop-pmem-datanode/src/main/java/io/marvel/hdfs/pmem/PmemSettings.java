package io.marvel.hdfs.pmem;

import static io.marvel.hdfs.pmem.PmemDatasetKeys.BLOCK_CAPACITY_DEFAULT;
import static io.marvel.hdfs.pmem.PmemDatasetKeys.BLOCK_CAPACITY_KEY;
import static io.marvel.hdfs.pmem.PmemDatasetKeys.MIN_BYTES_PER_CHECKSUM_DEFAULT;
import static io.marvel.hdfs.pmem.PmemDatasetKeys.MIN_BYTES_PER_CHECKSUM_KEY;
import static io.marvel.hdfs.pmem.PmemDatasetKeys.PREPARED_FILES_DEFAULT;
import static io.marvel.hdfs.pmem.PmemDatasetKeys.PREPARED_FILES_KEY;

import io.marvel.hdfs.pmem.store.BlockFileLayout;
import org.apache.hadoop.HadoopIllegalArgumentException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.DFSConfigKeys;

/**
 * The PMEM DataNode's settings, read once from the configuration and validated.
 *
 * @param blockCapacity largest replica a block file holds, in bytes
 * @param minBytesPerChecksum smallest checksum chunk the meta area must accommodate
 * @param preparedFiles block files kept ready per volume
 */
public record PmemSettings(long blockCapacity, int minBytesPerChecksum, int preparedFiles) {
  /** Largest allowed block capacity: 2 GiB, the largest block HDFS writes. */
  public static final long MAX_BLOCK_CAPACITY = 1L << 31;

  /**
   * @throws HadoopIllegalArgumentException naming the key, the value and what is allowed
   */
  public PmemSettings {
    if (blockCapacity <= 0 || blockCapacity > MAX_BLOCK_CAPACITY) {
      throw invalid(BLOCK_CAPACITY_KEY, blockCapacity, "a size in (0, 2g]");
    }
    if (minBytesPerChecksum <= 0) {
      throw invalid(MIN_BYTES_PER_CHECKSUM_KEY, minBytesPerChecksum, "a positive byte count");
    }
    if (preparedFiles < 0 || preparedFiles > 64) {
      throw invalid(PREPARED_FILES_KEY, preparedFiles, "a count in [0, 64]");
    }
  }

  /**
   * Reads the settings.
   *
   * @param conf the DataNode's configuration
   * @return the settings
   * @throws HadoopIllegalArgumentException if a value is out of range
   */
  public static PmemSettings from(Configuration conf) {
    long capacity = conf.getLongBytes(BLOCK_CAPACITY_KEY, BLOCK_CAPACITY_DEFAULT);
    if (capacity == 0) {
      capacity = conf.getLongBytes(DFSConfigKeys.DFS_BLOCK_SIZE_KEY,
          DFSConfigKeys.DFS_BLOCK_SIZE_DEFAULT);
    }
    return new PmemSettings(capacity,
        conf.getInt(MIN_BYTES_PER_CHECKSUM_KEY, MIN_BYTES_PER_CHECKSUM_DEFAULT),
        conf.getInt(PREPARED_FILES_KEY, PREPARED_FILES_DEFAULT));
  }

  /** @return the layout of every block file */
  public BlockFileLayout layout() {
    return BlockFileLayout.forCapacity(blockCapacity, minBytesPerChecksum);
  }

  private static HadoopIllegalArgumentException invalid(String key, long value, String allowed) {
    return new HadoopIllegalArgumentException("invalid " + key + " = " + value + ": must be "
        + allowed);
  }
}
