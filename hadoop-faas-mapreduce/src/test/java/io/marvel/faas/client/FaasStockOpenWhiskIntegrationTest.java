package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.launcher.OpenWhiskLauncher;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.whisk.client.WhiskClient;
import io.marvel.whisk.platform.EmbeddedWhisk;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job on the embedded platform, which grants what a stock OpenWhisk grants and runs the task
 * action as a blackbox action of the distribution's image: settings the platform cannot grant
 * are refused at submission, an image it cannot run and a task past its time limit fail the
 * job with the setting and the fix, and nothing is left behind.
 */
class FaasStockOpenWhiskIntegrationTest extends FaasClusterHarness {
  private static final Path INPUT = new Path("/stock/in");

  @BeforeAll
  static void writeInput() throws IOException {
    writeTwelveWords(INPUT);
  }

  private Job job(Configuration conf, String out) throws IOException {
    Job job = Job.getInstance(conf, "stock");
    job.setJarByClass(getClass());
    job.setMapperClass(SlowMapper.class);
    job.setNumReduceTasks(0);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(IntWritable.class);
    FileInputFormat.addInputPath(job, INPUT);
    FileOutputFormat.setOutputPath(job, new Path(out));
    return job;
  }

  private Configuration oneAttempt() {
    Configuration conf = embeddedPlatformConf();
    conf.setInt("mapreduce.map.maxattempts", 1);
    return conf;
  }

  @Test
  void moreMemoryThanThePlatformGrantsIsRefusedAtSubmissionAndNothingIsDeployed()
      throws Exception {
    Configuration conf = oneAttempt();
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, 1024);
    Job job = job(conf, "/stock/out-memory");
    IOException e = assertThrows(IOException.class, job::submit);
    assertTrue(e.getMessage().contains("cannot run this job's task action:"
        + " mapreduce.faas.action.memory-mb = 1024 is over the platform's limit of 512 MB"
        + " (maxActionMemory): set it to at most 512, or have the OpenWhisk operator raise the"
        + " limit (CONFIG_whisk_memory_max"), e.getMessage());
    FaasSettings settings = FaasSettings.from(conf);
    EmbeddedWhisk whisk = FaasClientJvm.get().platform().shared(settings);
    String action = OpenWhiskLauncher.taskAction(settings).name();
    assertTrue(WhiskClient.create(whisk.clientSettings()).getAction(action).isEmpty(),
        "nothing was deployed");
    assertArrayEquals(new String[0], stateLeft());
    assertFalse(fs.exists(new Path("/stock/out-memory")));
  }

  @Test
  void anImageThePlatformCannotRunFailsTheJobNamingTheSetting() throws Exception {
    Configuration conf = oneAttempt();
    conf.set(FaasConfigKeys.ACTION_IMAGE_KEY, "registry.invalid/marvel/task-runtime:0");
    Job job = job(conf, "/stock/out-image");
    assertFalse(job.waitForCompletion(false));
    assertEquals(JobStatus.State.FAILED, job.getStatus().getState());
    String info = failureInfo(job);
    assertTrue(info.contains("the platform cannot start the task image"
        + " registry.invalid/marvel/task-runtime:0 (mapreduce.faas.action.image). Set"
        + " mapreduce.faas.action.image to an image the platform can run"), info);
    assertTrue(info.contains("Failed to pull container image"), info);
    assertArrayEquals(new String[0], stateLeft());
  }

  @Test
  void aTaskPastTheTimeLimitFailsNamingTheLimitTheSettingAndTheFix() throws Exception {
    Configuration conf = oneAttempt();
    conf.setLong(FaasConfigKeys.ACTIVATION_TIMEOUT_MS_KEY, 3000);
    conf.setLong(SlowMapper.SLEEP_MS, 60_000);
    Job job = job(conf, "/stock/out-timeout");
    long start = System.nanoTime();
    assertFalse(job.waitForCompletion(false));
    assertTrue(System.nanoTime() - start < 45_000_000_000L, "the attempt was stopped at its"
        + " limit, not after the mapper's sleep");
    String info = failureInfo(job);
    assertTrue(info.contains("ran past the task's time limit of 3000 ms"
        + " (mapreduce.faas.activation.timeout-ms = 3000) and was stopped. Give the job more,"
        + " smaller tasks"), info);
    assertArrayEquals(new String[0], stateLeft());
  }

  /** Sleeps before its first record for {@link #SLEEP_MS} ms (0 by default), then counts. */
  public static final class SlowMapper extends Mapper<LongWritable, Text, Text, IntWritable> {
    static final String SLEEP_MS = "test.slow-mapper.sleep-ms";

    @Override
    protected void setup(Context context) throws InterruptedException {
      Thread.sleep(context.getConfiguration().getLong(SLEEP_MS, 0));
    }

    @Override
    protected void map(LongWritable key, Text value, Context context)
        throws IOException, InterruptedException {
      context.write(value, new IntWritable(1));
    }
  }
}
