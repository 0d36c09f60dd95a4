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
  /** Task attempts that found the job's conf, jar and class loader cached in their container. */
  JOB_CACHE_HITS,
  /** Task attempts that had to load the job's conf and jar into their container. */
  JOB_CACHE_MISSES
}
