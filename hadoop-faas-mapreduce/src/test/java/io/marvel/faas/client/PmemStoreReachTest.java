package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.settings.FaasSettings;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class PmemStoreReachTest {
  /** An address of TEST-NET-1 (RFC 5737): never one of this machine's. */
  private static final String REMOTE = "https://192.0.2.10:443";

  private static FaasSettings settings(String apiHost, String store) {
    Configuration conf = new Configuration(false);
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, apiHost);
    conf.set(FaasConfigKeys.OPENWHISK_AUTH_KEY, "user:key");
    conf.set(FaasConfigKeys.STATE_STORE_KEY, store);
    return FaasSettings.from(conf);
  }

  @Test
  void pmemStateWithActivationsOnAnotherHostIsRefusedNamingTheHdfsStore() {
    IOException e = assertThrows(IOException.class,
        () -> PmemStoreReach.check("job_1_0001", settings(REMOTE, "pmem")));
    assertTrue(e.getMessage().startsWith("job job_1_0001 not submitted:"
        + " mapreduce.faas.state.store=pmem keeps the job's map outputs in the PMEM dir "),
        e.getMessage());
    assertTrue(e.getMessage().contains("its activations run on the OpenWhisk at " + REMOTE),
        e.getMessage());
    assertTrue(e.getMessage().contains("Set mapreduce.faas.state.store=hdfs: map outputs then"
        + " live as HDFS files in PMEM on the PMEM DataNodes"), e.getMessage());
  }

  @Test
  void theHdfsStoreAnOpenWhiskOnThisHostOrTheEmbeddedPlatformPass() {
    assertDoesNotThrow(() -> PmemStoreReach.check("j", settings(REMOTE, "hdfs")));
    assertDoesNotThrow(() -> PmemStoreReach.check("j", settings("http://127.0.0.1:3233",
        "pmem")));
    assertDoesNotThrow(() -> PmemStoreReach.check("j", settings("localhost:3233", "pmem")));
    assertDoesNotThrow(() -> PmemStoreReach.check("j", settings("local", "pmem")));
  }

  @Test
  void theHostOfAnApiHostWithOrWithoutScheme() {
    assertEquals("whisk.example.com", PmemStoreReach.hostOf("https://whisk.example.com:443"));
    assertEquals("whisk.example.com", PmemStoreReach.hostOf("whisk.example.com"));
    assertEquals("192.0.2.10", PmemStoreReach.hostOf("192.0.2.10:3233"));
  }
}
