package io.marvel.faas.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSettingsTest {
  private static Configuration conf(String store) {
    Configuration conf = new Configuration(false);
    conf.set("fs.defaultFS", "file:///");
    conf.set(FaasConfigKeys.STATE_STORE_KEY, store);
    return conf;
  }

  @Test
  void aPmemStoreIsItsDirOnThisHost() throws IOException {
    Configuration conf = conf("PMEM");
    conf.set(FaasConfigKeys.STATE_PMEM_DIR_KEY, "/dev/shm/state-${user.name}");
    StoreSettings store = StoreSettings.from(conf);
    String dir = "/dev/shm/state-" + System.getProperty("user.name");
    assertEquals(new StoreSettings(StoreKind.PMEM, dir, ""), store);
    assertEquals("pmem", store.name());
    assertEquals(new StoreLocation(StoreKind.PMEM, dir), store.location(conf, "alice"));
    assertTrue(store.keepsStateOnOneHost());
    assertEquals(Optional.of(Path.of(dir)), store.localDir());
  }

  @Test
  void anHdfsStoreDefaultsToFaasStateInTheUsersYarnStagingDir(@TempDir Path staging)
      throws IOException {
    Configuration conf = conf("hdfs");
    conf.set(MRJobConfig.MR_AM_STAGING_DIR, staging.toString());
    StoreSettings store = StoreSettings.from(conf);
    assertEquals(new StoreLocation(StoreKind.HDFS,
        "file:" + staging + "/alice/.staging/faas-state"), store.location(conf, "alice"));
    assertFalse(store.keepsStateOnOneHost());
    assertEquals(Optional.empty(), store.localDir());
  }

  @Test
  void anHdfsDirIsQualified() throws IOException {
    Configuration conf = conf("hdfs");
    conf.set(FaasConfigKeys.STATE_HDFS_DIR_KEY, "/shared/state");
    assertEquals(new StoreLocation(StoreKind.HDFS, "file:/shared/state"),
        StoreSettings.from(conf).location(conf, "alice"));
  }

  @Test
  void anUnknownStoreOrAnEmptyPmemDirIsNamedWithItsKey() {
    assertEquals("mapreduce.faas.state.store = 'nfs' is not a state store; allowed: pmem, hdfs",
        assertThrows(IllegalArgumentException.class, () -> StoreSettings.from(conf("nfs")))
            .getMessage());
    Configuration conf = conf("pmem");
    conf.set(FaasConfigKeys.STATE_PMEM_DIR_KEY, " ");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StoreSettings.from(conf));
    assertEquals("mapreduce.faas.state.pmem.dir is empty; set it or remove it to use the default"
        + " '/dev/shm/marvel-faas-${user.name}'", e.getMessage());
  }

  @Test
  void aReplicationForStateOutsideOneTo32IsNamedWithItsKey() {
    for (String bad : new String[] {"0", "33", "two"}) {
      Configuration conf = conf("hdfs");
      conf.set(FaasConfigKeys.STATE_HDFS_REPLICATION_KEY, bad);
      assertEquals("mapreduce.faas.state.hdfs.replication = '" + bad + "' is not a replication;"
          + " allowed: 1 to 32", assertThrows(IllegalArgumentException.class,
              () -> StoreSettings.from(conf)).getMessage());
    }
    Configuration three = conf("hdfs");
    three.setInt(FaasConfigKeys.STATE_HDFS_REPLICATION_KEY, 3);
    assertEquals(3, StoreSettings.hdfsReplication(three));
    assertEquals(1, StoreSettings.hdfsReplication(conf("hdfs")), "the default");
  }
}
