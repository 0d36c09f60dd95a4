package io.marvel.hdfs.pmem;

import org.apache.hadoop.classification.InterfaceAudience;
import org.apache.hadoop.classification.InterfaceStability;

/**
 * Configuration keys of the PMEM DataNode (hdfs-site.xml), with their defaults. Every key is
 * listed with a description in {@code hdfs-pmem-default.xml}.
 */
@InterfaceAudience.Public
@InterfaceStability.Evolving
public final class PmemDatasetKeys {
  /** Prefix of every key. */
  public static final String PREFIX = "dfs.datanode.pmem.";

  /**
   * Largest replica a PMEM block file holds, in bytes (size suffixes such as 128m allowed);
   * 0 means the DataNode's {@code dfs.blocksize}.
   */
  public static final String BLOCK_CAPACITY_KEY = PREFIX + "block-capacity";
  /** Default of {@link #BLOCK_CAPACITY_KEY}: follow dfs.blocksize. */
  public static final long BLOCK_CAPACITY_DEFAULT = 0;

  /** Smallest dfs.bytes-per-checksum clients may use; sizes the meta area of block files. */
  public static final String MIN_BYTES_PER_CHECKSUM_KEY = PREFIX + "min-bytes-per-checksum";
  /** Default of {@link #MIN_BYTES_PER_CHECKSUM_KEY}, HDFS's default chunk size. */
  public static final int MIN_BYTES_PER_CHECKSUM_DEFAULT = 512;

  /** Block files each PMEM volume keeps allocated and touched ahead of need. */
  public static final String PREPARED_FILES_KEY = PREFIX + "prepared-files";
  /** Default of {@link #PREPARED_FILES_KEY}. */
  public static final int PREPARED_FILES_DEFAULT = 2;

  /**
   * How often the PMEM scanner verifies each replica, in ms; 0 follows the stock
   * {@code dfs.datanode.scan.period.hours}. The scan's rate is the stock
   * {@code dfs.block.scanner.volume.bytes.per.second} (0 disables it).
   */
  public static final String SCAN_PERIOD_MS_KEY = PREFIX + "scan.period-ms";
  /** Default of {@link #SCAN_PERIOD_MS_KEY}: follow dfs.datanode.scan.period.hours. */
  public static final long SCAN_PERIOD_MS_DEFAULT = 0;

  /** The resource with every key, its default and description. */
  public static final String DEFAULT_RESOURCE = "hdfs-pmem-default.xml";

  private PmemDatasetKeys() {
  }
}
