package io.marvel.faas.state;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.v2.util.MRApps;

/**
 * The state store a job or client configuration chooses ({@code mapreduce.faas.state.*}), read
 * once and validated: the one place that turns the user's settings into a store kind and a
 * root, and answers for the client what depends on the kind before a store is opened.
 *
 * @param kind the store kind
 * @param pmemDir local directory of the pmem store
 * @param hdfsDir root of the hdfs store, empty for the default under the staging area
 */
public record StoreSettings(StoreKind kind, String pmemDir, String hdfsDir) {
  private static final int MAX_REPLICATION = 32;

  /**
   * @param conf the job or client configuration
   * @return the validated settings
   * @throws IllegalArgumentException naming the key, its value and what is allowed
   */
  public static StoreSettings from(Configuration conf) {
    String raw = conf.getTrimmed(FaasConfigKeys.STATE_STORE_KEY,
        FaasConfigKeys.STATE_STORE_DEFAULT);
    StoreKind kind;
    try {
      kind = StoreKind.fromConfigName(raw);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(FaasConfigKeys.STATE_STORE_KEY + " = '" + raw
          + "' is not a state store; allowed: pmem, hdfs", e);
    }
    hdfsReplication(conf);
    String pmemDir = conf.getTrimmed(FaasConfigKeys.STATE_PMEM_DIR_KEY,
        FaasConfigKeys.STATE_PMEM_DIR_DEFAULT);
    if (pmemDir.isEmpty()) {
      throw new IllegalArgumentException(FaasConfigKeys.STATE_PMEM_DIR_KEY + " is empty; set it"
          + " or remove it to use the default '" + FaasConfigKeys.STATE_PMEM_DIR_DEFAULT + "'");
    }
    return new StoreSettings(kind, pmemDir.replace("${user.name}",
        System.getProperty("user.name")), conf.getTrimmed(FaasConfigKeys.STATE_HDFS_DIR_KEY,
        FaasConfigKeys.STATE_HDFS_DIR_DEFAULT));
  }

  /**
   * @param conf a job, task or client configuration
   * @return the replication of the {@code hdfs} store's map outputs
   * @throws IllegalArgumentException naming the key, its value and the allowed range
   */
  static short hdfsReplication(Configuration conf) {
    String raw = conf.getTrimmed(FaasConfigKeys.STATE_HDFS_REPLICATION_KEY,
        String.valueOf(FaasConfigKeys.STATE_HDFS_REPLICATION_DEFAULT));
    int replication;
    try {
      replication = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      replication = 0;
    }
    if (replication < 1 || replication > MAX_REPLICATION) {
      throw new IllegalArgumentException(FaasConfigKeys.STATE_HDFS_REPLICATION_KEY + " = '" + raw
          + "' is not a replication; allowed: 1 to " + MAX_REPLICATION);
    }
    return (short) replication;
  }

  /** @return the store's name as configured: {@code pmem} or {@code hdfs} */
  public String name() {
    return kind.configName();
  }

  /**
   * @return whether a job with this store keeps its state on the host that runs its tasks
   *     ({@code pmem}), so that the job cannot run anywhere else anyway
   */
  public boolean keepsStateOnOneHost() {
    return switch (kind) {
      case PMEM -> true;
      case HDFS -> false;
    };
  }

  /**
   * @return the directory of this host the store keeps job state in, which should be a PMEM
   *     (DAX) mount ({@code pmem}); empty for a store on a Hadoop file system ({@code hdfs})
   */
  public Optional<java.nio.file.Path> localDir() {
    return switch (kind) {
      case PMEM -> Optional.of(java.nio.file.Path.of(pmemDir));
      case HDFS -> Optional.empty();
    };
  }

  /**
   * The store of a job: for {@code pmem} its dir; for {@code hdfs} its dir, by default
   * {@code faas-state} in the user's staging dir on the default file system, where YARN stages
   * (even when the client stages locally: the hdfs store is for activations on many hosts).
   *
   * @param job the job's configuration
   * @param user the submitting user's short name
   * @return the store's kind and root, the root of an {@code hdfs} store fully qualified
   * @throws IOException if the file system of an {@code hdfs} root cannot be reached
   */
  public StoreLocation location(Configuration job, String user) throws IOException {
    return switch (kind) {
      case PMEM -> new StoreLocation(kind, pmemDir);
      case HDFS -> {
        Path root = hdfsDir.isEmpty()
            ? new Path(MRApps.getStagingAreaDir(job, user), "faas-state")
            : new Path(hdfsDir);
        yield new StoreLocation(kind, root.getFileSystem(job).makeQualified(root).toString());
      }
    };
  }
}
