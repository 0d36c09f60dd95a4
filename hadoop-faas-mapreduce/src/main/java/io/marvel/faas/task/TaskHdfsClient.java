package io.marvel.faas.task;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.client.HdfsClientConfigKeys.BlockWrite;

/**
 * How soon a task's HDFS client asks again whether a file it closed is complete. Closing a file
 * on HDFS completes its last block only once the NameNode has processed a DataNode's report of
 * it, which often arrives just after the client asks; the client then sleeps before asking
 * again, by Hadoop's default 400 ms, doubled on each further try. A task closes its output, its
 * map output (the {@code hdfs} state store) and its progress reports on its critical path, each
 * a file of one block: measured on the simulated hosts, the NameNode refused the first
 * {@code complete} of 5 of a terasort's files, each costing the task 400 ms. A job that leaves
 * the delay at Hadoop's default gets {@link #FIRST_RETRY_MS} instead, with more tries, so that
 * the client still waits as long in all before it gives up (25 ms doubled 9 times: 12.8 s;
 * Hadoop's 400 ms 5 times: 12.4 s). A job that sets its own delay keeps it, and its tries; a
 * job submitted with the distribution's {@code hdfs-site.xml} already carries the same values.
 */
final class TaskHdfsClient {
  /** The first pause before asking the NameNode again, in milliseconds. */
  static final int FIRST_RETRY_MS = 25;
  /** Tries after the first: as long a wait in all as Hadoop's defaults. */
  static final int RETRIES = 9;

  private TaskHdfsClient() {
  }

  /**
   * Sets the short first retry on a task's configuration, unless the job chose its own delay.
   *
   * @param conf the job's configuration as its tasks use it
   */
  static void shortenCloseRetry(Configuration conf) {
    int delay = conf.getInt(BlockWrite.LOCATEFOLLOWINGBLOCK_INITIAL_DELAY_MS_KEY,
        BlockWrite.LOCATEFOLLOWINGBLOCK_INITIAL_DELAY_MS_DEFAULT);
    if (delay != BlockWrite.LOCATEFOLLOWINGBLOCK_INITIAL_DELAY_MS_DEFAULT) {
      return;
    }
    conf.setInt(BlockWrite.LOCATEFOLLOWINGBLOCK_INITIAL_DELAY_MS_KEY, FIRST_RETRY_MS);
    int retries = conf.getInt(BlockWrite.LOCATEFOLLOWINGBLOCK_RETRIES_KEY,
        BlockWrite.LOCATEFOLLOWINGBLOCK_RETRIES_DEFAULT);
    conf.setInt(BlockWrite.LOCATEFOLLOWINGBLOCK_RETRIES_KEY, Math.max(retries, RETRIES));
  }
}
