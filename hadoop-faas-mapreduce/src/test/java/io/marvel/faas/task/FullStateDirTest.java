package io.marvel.faas.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real full devices are in FaasFailuresIntegrationTest; these are the other cases. */
class FullStateDirTest {
  @TempDir
  Path root;

  @Test
  void aFullDeviceDeepInTheCauseChainIsNamedWithTheFix() {
    IOException failure = new IOException("spill failed",
        new IOException("write: No space left on device"));
    String hint = FullStateDir.explain(new StoreLocation(StoreKind.PMEM, root.toString()),
        failure).orElseThrow();
    assertTrue(hint.startsWith("The PMEM state dir " + root + " has no room for this task ("),
        hint);
    assertTrue(hint.endsWith("bytes free): free space there, point"
        + " mapreduce.faas.state.pmem.dir at a larger PMEM device, or set"
        + " mapreduce.faas.state.store=hdfs."), hint);
  }

  @Test
  void otherFailuresAndTheHdfsStoreGetNoHint() {
    assertEquals(Optional.empty(), FullStateDir.explain(
        new StoreLocation(StoreKind.PMEM, root.toString()), new IOException("mapper threw")));
    assertEquals(Optional.empty(), FullStateDir.explain(
        new StoreLocation(StoreKind.HDFS, "/staging/state"),
        new IOException("No space left on device")));
  }
}
