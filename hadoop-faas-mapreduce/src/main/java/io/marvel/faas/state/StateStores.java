package io.marvel.faas.state;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.protocol.StoreLocation;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;

/** Opens the {@link StateStore} implementation a {@link StoreLocation} names. */
public final class StateStores {

  private StateStores() {
  }

  /**
   * @param location the store kind and root
   * @param jobId the job whose state it holds
   * @param conf Hadoop configuration for file system access ({@code hdfs} store)
   * @return the store for the job
   * @throws IOException if the file system of an {@code hdfs} root cannot be reached
   */
  public static StateStore forJob(StoreLocation location, String jobId, Configuration conf)
      throws IOException {
    return switch (location.kind()) {
      case PMEM -> new PmemStateStore(location, jobId);
      case HDFS -> new HdfsStateStore(location, jobId, conf,
          conf.getTrimmed(FaasConfigKeys.STATE_HDFS_STORAGE_POLICY_KEY,
          FaasConfigKeys.STATE_HDFS_STORAGE_POLICY_DEFAULT));
    };
  }
}
