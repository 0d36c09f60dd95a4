package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.hadoop.HadoopIllegalArgumentException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class PmemSettingsTest {
  @Test
  void defaultsFollowTheBlockSize() {
    Configuration conf = new Configuration(false);
    conf.set("dfs.blocksize", "64m");
    PmemSettings settings = PmemSettings.from(conf);
    assertEquals(64L << 20, settings.blockCapacity());
    assertEquals(512, settings.minBytesPerChecksum());
    assertEquals(2, settings.preparedFiles());
  }

  @Test
  void explicitCapacityWins() {
    Configuration conf = new Configuration(false);
    conf.set(PmemDatasetKeys.BLOCK_CAPACITY_KEY, "256m");
    assertEquals(256L << 20, PmemSettings.from(conf).blockCapacity());
  }

  @Test
  void invalidValuesNameKeyValueAndRange() {
    assertMessage(PmemDatasetKeys.BLOCK_CAPACITY_KEY, "4g",
        "invalid dfs.datanode.pmem.block-capacity = 4294967296: must be a size in (0, 2g]");
    assertMessage(PmemDatasetKeys.MIN_BYTES_PER_CHECKSUM_KEY, "0",
        "invalid dfs.datanode.pmem.min-bytes-per-checksum = 0: must be a positive byte count");
    assertMessage(PmemDatasetKeys.PREPARED_FILES_KEY, "-1",
        "invalid dfs.datanode.pmem.prepared-files = -1: must be a count in [0, 64]");
  }

  private static void assertMessage(String key, String value, String message) {
    Configuration conf = new Configuration(false);
    conf.set(key, value);
    HadoopIllegalArgumentException e = assertThrows(HadoopIllegalArgumentException.class,
        () -> PmemSettings.from(conf));
    assertEquals(message, e.getMessage());
  }
}
