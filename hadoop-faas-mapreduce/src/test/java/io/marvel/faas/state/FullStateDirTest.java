package io.marvel.faas.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stores' {@link StateStore#explainFailure}; the real full devices are in
 * FaasFailuresIntegrationTest, these are the other cases.
 */
class FullStateDirTest {
  @TempDir
  Path root;

  private StateStore pmem() {
    return new PmemStateStore(new StoreLocation(StoreKind.PMEM, root.toString()), "job_1_0001");
  }

  @Test
  void aFullDeviceDeepInTheCauseChainIsNamedWithTheFix() {
    IOException failure = new IOException("spill failed",
        new IOException("write: No space left on device"));
    String hint = pmem().explainFailure(failure).orElseThrow();
    assertTrue(hint.startsWith("The PMEM state dir " + root + " has no room for this task ("),
        hint);
    assertTrue(hint.endsWith("bytes free): free space there, point"
        + " mapreduce.faas.state.pmem.dir at a larger PMEM device, or set"
        + " mapreduce.faas.state.store=hdfs."), hint);
  }

  @Test
  void otherFailuresAndTheHdfsStoreGetNoHint() throws IOException {
    assertEquals(Optional.empty(), pmem().explainFailure(new IOException("mapper threw")));
    StateStore hdfs = StateStores.forJob(new StoreLocation(StoreKind.HDFS,
        root.toUri().toString()), "job_1_0001", new Configuration());
    assertEquals(Optional.empty(),
        hdfs.explainFailure(new IOException("No space left on device")));
  }
}
