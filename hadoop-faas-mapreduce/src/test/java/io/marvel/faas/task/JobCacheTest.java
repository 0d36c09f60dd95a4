package io.marvel.faas.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.TaskKind;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.client.HdfsClientConfigKeys.BlockWrite;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job configuration a container's tasks get from the job's staging dir. */
class JobCacheTest {
  @TempDir
  Path dir;

  @Test
  void tasksAskSoonAgainWhetherAClosedFileIsComplete() throws Exception {
    // The job.xml of a client that loaded HDFS's defaults: Hadoop's 400 ms and 5 tries.
    Configuration taskConf = taskConf(new HdfsConfiguration());
    assertEquals(TaskHdfsClient.FIRST_RETRY_MS,
        taskConf.getInt(BlockWrite.LOCATEFOLLOWINGBLOCK_INITIAL_DELAY_MS_KEY, -1));
    assertEquals(TaskHdfsClient.RETRIES,
        taskConf.getInt(BlockWrite.LOCATEFOLLOWINGBLOCK_RETRIES_KEY, -1));
  }

  @Test
  void aJobsOwnRetryDelayIsKept() throws Exception {
    Configuration job = new HdfsConfiguration();
    job.setInt(BlockWrite.LOCATEFOLLOWINGBLOCK_INITIAL_DELAY_MS_KEY, 100);
    job.setInt(BlockWrite.LOCATEFOLLOWINGBLOCK_RETRIES_KEY, 3);
    Configuration taskConf = taskConf(job);
    assertEquals(100, taskConf.getInt(BlockWrite.LOCATEFOLLOWINGBLOCK_INITIAL_DELAY_MS_KEY, -1));
    assertEquals(3, taskConf.getInt(BlockWrite.LOCATEFOLLOWINGBLOCK_RETRIES_KEY, -1));
  }

  /** @return the configuration a task of a job staged with {@code job} as job.xml runs with */
  private Configuration taskConf(Configuration job) throws Exception {
    Path staging = Files.createDirectories(dir.resolve("staging"));
    try (OutputStream out = Files.newOutputStream(staging.resolve(MRJobConfig.JOB_CONF_FILE))) {
      job.writeXml(out);
    }
    String jobId = "job_1700000000000_0001";
    TaskArguments args = new TaskArguments(jobId, "attempt_1700000000000_0001_r_000000_0",
        TaskKind.REDUCE, 0, UserGroupInformation.getCurrentUser().getShortUserName(),
        staging.toUri().toString(), null, 0, 1, 1, new StoreLocation(StoreKind.HDFS, "/state"));
    JobCache cache = new JobCache(Files.createDirectories(dir.resolve("cache")));
    try {
      return cache.acquire(args).job().taskConf();
    } finally {
      cache.evict(jobId);
    }
  }
}
