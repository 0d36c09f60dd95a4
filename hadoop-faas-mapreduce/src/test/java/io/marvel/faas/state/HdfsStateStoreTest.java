package io.marvel.faas.state;

import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

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
        new Configuration(), "");
  }

  @Override
  StateStore otherJob(String jobId) throws IOException {
    return new HdfsStateStore(new StoreLocation(StoreKind.HDFS, root.toUri().toString()), jobId,
        new Configuration(), "");
  }

  @Override
  Path localRoot() {
    return root;
  }
}
