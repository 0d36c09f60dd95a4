package io.marvel.faas.state;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;

/**
 * Opens the {@link StateStore} implementation a {@link StoreLocation} names; with the stores and
 * {@link StoreSettings}, the only code that tells the store kinds apart.
 */
public final class StateStores {
  /**
   * Task configuration keys naming the store to a reduce's shuffle plugin, which Hadoop creates
   * by reflection and so can be handed nothing but the task's configuration. Set by the task
   * runner ({@link #handToTask}), read by {@link #forTask}; not user settings.
   */
  private static final String TASK_STORE_KIND_KEY = "mapreduce.faas.task.store.kind";
  private static final String TASK_STORE_ROOT_KEY = "mapreduce.faas.task.store.root";

  private StateStores() {
  }

  /**
   * @param location the store kind and root
   * @param jobId the job whose state it holds
   * @param conf Hadoop configuration for file system access ({@code hdfs} store)
   * @return the store for the job
   * @throws IOException if the file system of an {@code hdfs} root cannot be reached
   * @throws IllegalArgumentException if the configuration's replication for state is invalid
   */
  public static StateStore forJob(StoreLocation location, String jobId, Configuration conf)
      throws IOException {
    return switch (location.kind()) {
      case PMEM -> new PmemStateStore(location, jobId);
      case HDFS -> new HdfsStateStore(location, jobId, conf,
          conf.getTrimmed(FaasConfigKeys.STATE_HDFS_STORAGE_POLICY_KEY,
          FaasConfigKeys.STATE_HDFS_STORAGE_POLICY_DEFAULT),
          StoreSettings.hdfsReplication(conf));
    };
  }

  /**
   * Names the store in a task's configuration, for {@link #forTask}.
   *
   * @param location the job's store
   * @param taskConf the configuration the task runs with
   */
  public static void handToTask(StoreLocation location, Configuration taskConf) {
    taskConf.set(TASK_STORE_KIND_KEY, location.kind().configName());
    taskConf.set(TASK_STORE_ROOT_KEY, location.root());
  }

  /**
   * @param taskConf a task's configuration, naming the store ({@link #handToTask})
   * @param jobId the job whose state it holds
   * @return the store for the job
   * @throws IllegalArgumentException if the configuration names no valid store
   * @throws IOException if the file system of an {@code hdfs} root cannot be reached
   */
  public static StateStore forTask(Configuration taskConf, String jobId) throws IOException {
    StoreLocation location = new StoreLocation(
        StoreKind.fromConfigName(taskConf.get(TASK_STORE_KIND_KEY, "")),
        taskConf.get(TASK_STORE_ROOT_KEY, ""));
    return forJob(location, jobId, taskConf);
  }
}
