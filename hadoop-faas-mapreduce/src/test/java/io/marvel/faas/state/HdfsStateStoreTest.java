package io.marvel.faas.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.BlockMissingException;
import org.junit.jupiter.api.Test;

/**
 * The contract for the file-system store, on Hadoop's local file system (the MiniDFSCluster
 * integration tests run it on HDFS).
 */
class HdfsStateStoreTest extends StateStoreContractTest {
  private Path root;

  @Override
  StateStore newStore() throws IOException {
    root = Files.createTempDirectory("faas-fs-store-");
    return new HdfsStateStore(new StoreLocation(StoreKind.HDFS, root.toUri().toString()), JOB,
        new Configuration(), "", (short) 1);
  }

  @Override
  StateStore otherJob(String jobId) throws IOException {
    return new HdfsStateStore(new StoreLocation(StoreKind.HDFS, root.toUri().toString()), jobId,
        new Configuration(), "", (short) 1);
  }

  @Override
  Path localRoot() {
    return root;
  }

  @Test
  void aFileSystemWithoutStoragePoliciesIgnoresTheDefaultPolicy() throws IOException {
    HdfsStateStore nvdimm = new HdfsStateStore(new StoreLocation(StoreKind.HDFS,
        root.toUri().toString()), "job_1700000000000_0077", new Configuration(),
        FaasConfigKeys.STATE_HDFS_STORAGE_POLICY_DEFAULT, (short) 1);
    nvdimm.prepare();
    assertTrue(Files.isDirectory(root.resolve("job_1700000000000_0077")));
    nvdimm.removeJob();
  }

  @Test
  void aBlockMissingInOneOfItsEntriesNamesTheMapWhoseOutputIsLost() {
    String entry = ((HdfsStateStore) store).entry(12).toString();
    Exception missing = new IOException("merge failed", new BlockMissingException(entry,
        "Could not obtain block", 0));
    assertEquals(OptionalInt.of(12), store.lostMapOutput(missing));
    String otherJob = entry.replace(JOB, "job_1700000000000_0001");
    assertEquals(OptionalInt.empty(), store.lostMapOutput(new BlockMissingException(otherJob,
        "Could not obtain block", 0)));
    assertEquals(OptionalInt.empty(), store.lostMapOutput(new IOException("checksum")));
    assertEquals(OptionalInt.of(4), store.lostMapOutput(new IOException("Blocklist for "
        + ((HdfsStateStore) store).entry(4).toUri().getPath() + " has changed!")),
        "a reader whose entry the map's new run replaced");
    assertFalse(store.failsJob(missing), "another attempt can always read the hdfs store");
  }
}
