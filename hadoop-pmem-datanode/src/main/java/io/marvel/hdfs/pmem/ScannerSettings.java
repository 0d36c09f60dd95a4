package io.marvel.hdfs.pmem;

import java.util.concurrent.TimeUnit;
import org.apache.hadoop.HadoopIllegalArgumentException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.DFSConfigKeys;

/**
 * How the background scan of PMEM replicas runs, read from the stock block scanner keys so that
 * an operator tunes (or disables) it like the stock VolumeScanner.
 *
 * @param bytesPerSecond most bytes per second verified on one volume, from
 *     {@code dfs.block.scanner.volume.bytes.per.second}; 0 disables the scan
 * @param periodMs how often each replica is verified, in ms, from
 *     {@code dfs.datanode.scan.period.hours} unless {@code dfs.datanode.pmem.scan.period-ms}
 *     is set; negative (negative hours) disables the scan
 */
public record ScannerSettings(long bytesPerSecond, long periodMs) {
  /** Longest the scanner waits before looking for replicas due again, in ms. */
  static final long MAX_RECHECK_MS = 60_000;

  /**
   * @throws HadoopIllegalArgumentException naming the key and value if the rate is negative
   */
  public ScannerSettings {
    if (bytesPerSecond < 0) {
      throw new HadoopIllegalArgumentException("invalid "
          + DFSConfigKeys.DFS_BLOCK_SCANNER_VOLUME_BYTES_PER_SECOND + " = " + bytesPerSecond
          + ": must be 0 (scanner disabled) or a positive byte rate");
    }
  }

  /**
   * Reads the settings: as for the stock scanner, 0 hours means the default period and negative
   * hours or a rate of 0 turn the scan off.
   *
   * @param conf the DataNode's configuration
   * @return the settings
   * @throws HadoopIllegalArgumentException if a value is out of range
   */
  public static ScannerSettings from(Configuration conf) {
    long rate = conf.getLong(DFSConfigKeys.DFS_BLOCK_SCANNER_VOLUME_BYTES_PER_SECOND,
        DFSConfigKeys.DFS_BLOCK_SCANNER_VOLUME_BYTES_PER_SECOND_DEFAULT);
    long periodMs = conf.getLong(PmemDatasetKeys.SCAN_PERIOD_MS_KEY,
        PmemDatasetKeys.SCAN_PERIOD_MS_DEFAULT);
    if (periodMs < 0) {
      throw new HadoopIllegalArgumentException("invalid " + PmemDatasetKeys.SCAN_PERIOD_MS_KEY
          + " = " + periodMs + ": must be 0 (follow "
          + DFSConfigKeys.DFS_DATANODE_SCAN_PERIOD_HOURS_KEY + ") or a positive number of ms");
    }
    long hours = conf.getLong(DFSConfigKeys.DFS_DATANODE_SCAN_PERIOD_HOURS_KEY,
        DFSConfigKeys.DFS_DATANODE_SCAN_PERIOD_HOURS_DEFAULT);
    if (hours < 0) {
      periodMs = -1;
    } else if (periodMs == 0) {
      periodMs = TimeUnit.HOURS.toMillis(
          hours == 0 ? DFSConfigKeys.DFS_DATANODE_SCAN_PERIOD_HOURS_DEFAULT : hours);
    }
    return new ScannerSettings(rate, periodMs);
  }

  /** @return whether PMEM replicas are scanned at all */
  public boolean enabled() {
    return bytesPerSecond > 0 && periodMs > 0;
  }

  /** @return how long the scanner waits before looking for replicas due again, in ms */
  public long recheckMs() {
    return Math.min(periodMs, MAX_RECHECK_MS);
  }
}
