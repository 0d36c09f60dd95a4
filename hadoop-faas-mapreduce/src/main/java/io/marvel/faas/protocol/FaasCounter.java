package io.marvel.faas.protocol;

/**
 * Counters the faas framework adds to a job, in the group named by this class. They show where
 * shuffle bytes came from and whether warm containers reused a job's cached state.
 */
public enum FaasCounter {
  /** Bytes of map output published to the state store by map tasks. */
  STORE_MAP_OUTPUT_BYTES,
  /** Shuffle bytes reducers read from PMEM files through native-pmem. */
  PMEM_SHUFFLE_BYTES,
  /** Shuffle bytes reducers read from a Hadoop file system store. */
  HDFS_SHUFFLE_BYTES,
  /**
   * Bytes reducers read from the state store on their own host: PMEM files of the pmem store,
   * replicas of the host's own DataNode for the hdfs store (short-circuit or through its
   * socket). Includes each map output's header and partition table.
   */
  LOCAL_SHUFFLE_BYTES,
  /** Bytes reducers read from the state store over the network, from another host's DataNode. */
  REMOTE_SHUFFLE_BYTES,
  /** Task attempts that found the job's conf, jar and class loader cached in their container. */
  JOB_CACHE_HITS,
  /** Task attempts that had to load the job's conf and jar into their container. */
  JOB_CACHE_MISSES
}
