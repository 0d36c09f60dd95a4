package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.apache.hadoop.HadoopIllegalArgumentException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.junit.jupiter.api.Test;

/** The PMEM scanner follows the stock block scanner keys. */
class ScannerSettingsTest {
  @Test
  void followsTheStockDefaults() {
    ScannerSettings settings = ScannerSettings.from(new Configuration(false));
    assertEquals(DFSConfigKeys.DFS_BLOCK_SCANNER_VOLUME_BYTES_PER_SECOND_DEFAULT,
        settings.bytesPerSecond());
    assertEquals(TimeUnit.HOURS.toMillis(DFSConfigKeys.DFS_DATANODE_SCAN_PERIOD_HOURS_DEFAULT),
        settings.periodMs());
    assertTrue(settings.enabled());
    assertEquals(ScannerSettings.MAX_RECHECK_MS, settings.recheckMs());
  }

  @Test
  void zeroHoursMeansTheDefaultPeriodAndOtherHoursAreTaken() {
    Configuration conf = new Configuration(false);
    conf.setLong(DFSConfigKeys.DFS_DATANODE_SCAN_PERIOD_HOURS_KEY, 0);
    assertEquals(TimeUnit.HOURS.toMillis(DFSConfigKeys.DFS_DATANODE_SCAN_PERIOD_HOURS_DEFAULT),
        ScannerSettings.from(conf).periodMs());
    conf.setLong(DFSConfigKeys.DFS_DATANODE_SCAN_PERIOD_HOURS_KEY, 2);
    assertEquals(TimeUnit.HOURS.toMillis(2), ScannerSettings.from(conf).periodMs());
  }

  @Test
  void periodInMsOverridesHours() {
    Configuration conf = new Configuration(false);
    conf.setLong(DFSConfigKeys.DFS_DATANODE_SCAN_PERIOD_HOURS_KEY, 2);
    conf.setLong(PmemDatasetKeys.SCAN_PERIOD_MS_KEY, 300);
    ScannerSettings settings = ScannerSettings.from(conf);
    assertEquals(300, settings.periodMs());
    assertEquals(300, settings.recheckMs());
  }

  @Test
  void zeroRateOrNegativeHoursDisableTheScan() {
    Configuration conf = new Configuration(false);
    conf.setLong(DFSConfigKeys.DFS_BLOCK_SCANNER_VOLUME_BYTES_PER_SECOND, 0);
    assertFalse(ScannerSettings.from(conf).enabled());
    conf = new Configuration(false);
    conf.setLong(DFSConfigKeys.DFS_DATANODE_SCAN_PERIOD_HOURS_KEY, -1);
    conf.setLong(PmemDatasetKeys.SCAN_PERIOD_MS_KEY, 300);
    assertFalse(ScannerSettings.from(conf).enabled());
  }

  @Test
  void rejectsNegativeValuesNamingTheKey() {
    Configuration conf = new Configuration(false);
    conf.setLong(PmemDatasetKeys.SCAN_PERIOD_MS_KEY, -5);
    HadoopIllegalArgumentException e = assertThrows(HadoopIllegalArgumentException.class,
        () -> ScannerSettings.from(conf));
    assertEquals("invalid dfs.datanode.pmem.scan.period-ms = -5: must be 0 (follow "
        + "dfs.datanode.scan.period.hours) or a positive number of ms", e.getMessage());
    Configuration rate = new Configuration(false);
    rate.setLong(DFSConfigKeys.DFS_BLOCK_SCANNER_VOLUME_BYTES_PER_SECOND, -1);
    e = assertThrows(HadoopIllegalArgumentException.class, () -> ScannerSettings.from(rate));
    assertTrue(e.getMessage().startsWith(
        "invalid dfs.block.scanner.volume.bytes.per.second = -1"), e.getMessage());
  }
}
