package io.marvel.faas;

import io.marvel.MarvelBuild;

/**
 * Every configuration key of the faas framework ({@code mapred-site.xml}) with its default, in
 * Hadoop's {@code X_KEY} / {@code X_DEFAULT} convention. {@code faas-default.xml} lists the same
 * keys with descriptions; a test keeps the two in agreement.
 */
public final class FaasConfigKeys {
  /** The value of {@code mapreduce.framework.name} that selects this framework. */
  public static final String FRAMEWORK_NAME = "faas";

  /** Resource with the defaults and descriptions of every key. */
  public static final String DEFAULT_RESOURCE = "faas-default.xml";

  public static final String PREFIX = "mapreduce.faas.";

  /** OpenWhisk API host URL, or {@code local} for the embedded platform. */
  public static final String OPENWHISK_APIHOST_KEY = PREFIX + "openwhisk.apihost";
  public static final String OPENWHISK_APIHOST_DEFAULT = "local";

  /** OpenWhisk auth key {@code uuid:key}; empty for the embedded platform. */
  public static final String OPENWHISK_AUTH_KEY = PREFIX + "openwhisk.auth";
  public static final String OPENWHISK_AUTH_DEFAULT = "";

  /** File holding the auth key, read when {@link #OPENWHISK_AUTH_KEY} is empty. */
  public static final String OPENWHISK_AUTH_FILE_KEY = PREFIX + "openwhisk.auth-file";
  public static final String OPENWHISK_AUTH_FILE_DEFAULT = "";

  /** OpenWhisk namespace; {@code _} is the auth key's own namespace. */
  public static final String OPENWHISK_NAMESPACE_KEY = PREFIX + "openwhisk.namespace";
  public static final String OPENWHISK_NAMESPACE_DEFAULT = "_";

  /** Name of the task action. */
  public static final String ACTION_NAME_KEY = PREFIX + "action.name";
  public static final String ACTION_NAME_DEFAULT = "marvel-mapreduce-task";

  /**
   * How long a version of the task action (each content is deployed under a name of its own)
   * may go unused before the deploy of another version removes it, in ms.
   */
  public static final String ACTION_RETENTION_MS_KEY = PREFIX + "action.retention-ms";
  public static final long ACTION_RETENTION_MS_DEFAULT = 86_400_000L;

  /**
   * Memory limit of the task action in MiB. 512 fits a stock OpenWhisk (128 to 512 MB), and the
   * task JVM's heap, sized from it, holds Hadoop's default 100 MB sort buffer.
   */
  public static final String ACTION_MEMORY_MB_KEY = PREFIX + "action.memory-mb";
  public static final int ACTION_MEMORY_MB_DEFAULT = 512;

  /**
   * Docker image of the task action, created as a {@code blackbox} action: the image the
   * distribution builds, or the same pushed to a registry the invokers pull from.
   */
  public static final String ACTION_IMAGE_KEY = PREFIX + "action.image";
  public static final String ACTION_IMAGE_DEFAULT = "marvel/task-runtime:" + MarvelBuild.VERSION;

  /** Virtual cores one activation counts as in the job counters VCORES_MILLIS_MAPS/REDUCES. */
  public static final String ACTION_VCORES_KEY = PREFIX + "action.vcores";
  public static final int ACTION_VCORES_DEFAULT = 1;

  /**
   * How often a running task reports its status (ms): its progress file in the staging dir is
   * rewritten at most this often, and only when its progress changed.
   */
  public static final String TASK_PROGRESS_INTERVAL_MS_KEY = PREFIX + "task.progress-interval-ms";
  public static final long TASK_PROGRESS_INTERVAL_MS_DEFAULT = 2_000;

  /** How task activations are launched: {@code openwhisk} or {@code in-jvm}. */
  public static final String LAUNCHER_KEY = PREFIX + "launcher";
  public static final String LAUNCHER_DEFAULT = "openwhisk";

  /** Most task activations of one job running at a time. */
  public static final String MAX_CONCURRENCY_KEY = PREFIX + "max-concurrency";
  public static final int MAX_CONCURRENCY_DEFAULT = 4;

  /**
   * Start the containers of a job's first wave while its client stages the job: warm-up
   * activations of the task action, as many as the job's first maps (at most its
   * max-concurrency), whose containers the first tasks then reuse.
   */
  public static final String PREWARM_KEY = PREFIX + "prewarm";
  public static final boolean PREWARM_DEFAULT = true;

  /** State store for map outputs: {@code pmem} or {@code hdfs}. */
  public static final String STATE_STORE_KEY = PREFIX + "state.store";
  public static final String STATE_STORE_DEFAULT = "pmem";

  /** Local directory on a PMEM (DAX) mount, or tmpfs, for the {@code pmem} store. */
  public static final String STATE_PMEM_DIR_KEY = PREFIX + "state.pmem.dir";
  public static final String STATE_PMEM_DIR_DEFAULT = "/dev/shm/marvel-faas-${user.name}";

  /** Root for the {@code hdfs} store; empty means {@code faas-state} in the staging area. */
  public static final String STATE_HDFS_DIR_KEY = PREFIX + "state.hdfs.dir";
  public static final String STATE_HDFS_DIR_DEFAULT = "";

  /**
   * HDFS storage policy for the {@code hdfs} store's job dirs; ALL_NVDIMM puts map outputs on the
   * PMEM DataNodes' {@code [NVDIMM]} volumes (HDFS falls back to DISK where there are none).
   * Empty: the file system's default.
   */
  public static final String STATE_HDFS_STORAGE_POLICY_KEY = PREFIX + "state.hdfs.storage-policy";
  public static final String STATE_HDFS_STORAGE_POLICY_DEFAULT = "ALL_NVDIMM";

  /** Replicas of each map output in the {@code hdfs} store; 1 re-runs maps of a lost host. */
  public static final String STATE_HDFS_REPLICATION_KEY = PREFIX + "state.hdfs.replication";
  public static final int STATE_HDFS_REPLICATION_DEFAULT = 1;

  /** Time limit of one task activation in milliseconds. */
  public static final String ACTIVATION_TIMEOUT_MS_KEY = PREFIX + "activation.timeout-ms";
  public static final long ACTIVATION_TIMEOUT_MS_DEFAULT = 300_000L;

  /** Embedded platform only: an idle warm container unused this long is destroyed (ms). */
  public static final String EMBEDDED_IDLE_CONTAINER_MS_KEY =
      PREFIX + "embedded.idle-container-ms";
  public static final long EMBEDDED_IDLE_CONTAINER_MS_DEFAULT = 600_000L;

  /** State of other jobs untouched this long is removed at submission (ms): dead clients. */
  public static final String STATE_TTL_MS_KEY = PREFIX + "state.ttl-ms";
  public static final long STATE_TTL_MS_DEFAULT = 86_400_000L;

  /** Embedded platform only: false destroys each container after one activation. */
  public static final String EMBEDDED_REUSE_CONTAINERS_KEY = PREFIX + "embedded.reuse-containers";
  public static final boolean EMBEDDED_REUSE_CONTAINERS_DEFAULT = true;

  /**
   * Stage jobs on the local file system, as LocalJobRunner does, when every activation runs on
   * this host as this user (the embedded platform or the in-JVM launcher) and state is in PMEM.
   */
  public static final String STAGING_LOCAL_KEY = PREFIX + "staging.local";
  public static final boolean STAGING_LOCAL_DEFAULT = true;

  /**
   * Directory for job summaries, timelines and task logs; empty means
   * {@code ${hadoop.tmp.dir}/faas-summaries}.
   */
  public static final String SUMMARY_DIR_KEY = PREFIX + "summary.dir";
  public static final String SUMMARY_DIR_DEFAULT = "";

  /** A job's files in the summary dir are removed this long after its end (ms); 0 keeps them. */
  public static final String SUMMARY_MAX_AGE_MS_KEY = PREFIX + "summary.max-age-ms";
  public static final long SUMMARY_MAX_AGE_MS_DEFAULT = 7 * 86_400_000L;

  private FaasConfigKeys() {
  }
}
