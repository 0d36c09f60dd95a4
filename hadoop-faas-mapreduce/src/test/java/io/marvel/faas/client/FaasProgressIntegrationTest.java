package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.protocol.ProgressFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.TaskReport;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.reduce.IntSumReducer;
import org.junit.jupiter.api.Test;

/**
 * A long map's progress reaches the client while its activation runs: tasks run in container
 * JVMs of the embedded platform and the job is staged on HDFS, as with a real OpenWhisk.
 */
class FaasProgressIntegrationTest extends FaasClusterHarness {
  private static final int RECORDS = 100;

  @Test
  void mapProgressMovesDuringASlowMapAndNeverGoesBack() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int line = 0; line < RECORDS; line++) {
      text.append("word").append(line % 10).append('\n');
    }
    write(new Path("/progress/in/slow.txt"), text.toString());
    Configuration conf = embeddedPlatformConf();
    conf.setBoolean(FaasConfigKeys.STAGING_LOCAL_KEY, false);
    conf.setLong(FaasConfigKeys.TASK_PROGRESS_INTERVAL_MS_KEY, 500);
    conf.setLong(SlowMapper.SLEEP_MS, 100);
    Job job = Job.getInstance(conf, "slow-map");
    job.setJarByClass(getClass());
    job.setMapperClass(SlowMapper.class);
    job.setReducerClass(IntSumReducer.class);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(IntWritable.class);
    job.setNumReduceTasks(1);
    FileInputFormat.addInputPath(job, new Path("/progress/in"));
    FileOutputFormat.setOutputPath(job, new Path("/progress/out"));
    job.submit();
    Path staging = new Path(job.getConfiguration().get("mapreduce.job.dir"));
    assertTrue(fs.exists(new Path(staging, ProgressFiles.DIR)), "staged on HDFS: " + staging);

    List<Float> mapProgress = new ArrayList<>();
    boolean taskReportBetween = false;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!job.isComplete() && System.nanoTime() < deadline) {
      JobStatus status = job.getStatus();
      mapProgress.add(status.getMapProgress());
      for (TaskReport report : job.getTaskReports(TaskType.MAP)) {
        taskReportBetween |= report.getProgress() > 0 && report.getProgress() < 1;
      }
      Thread.sleep(100);
    }
    assertTrue(job.isSuccessful(), () -> "job failed: " + failureInfo(job));
    mapProgress.add(job.getStatus().getMapProgress());
    assertTrue(mapProgress.stream().anyMatch(p -> p > 0 && p < 1),
        "map progress moved between 0 and 1 during the map: " + mapProgress);
    for (int i = 1; i < mapProgress.size(); i++) {
      assertTrue(mapProgress.get(i) >= mapProgress.get(i - 1),
          "map progress went back at poll " + i + ": " + mapProgress);
    }
    assertTrue(taskReportBetween, "a running map's task report carried its progress");
    assertFalse(fs.exists(staging), "the progress files went with the staging dir");
  }

  /** Emits (line, 1), sleeping before each record, so that its map takes a while. */
  public static class SlowMapper extends Mapper<LongWritable, Text, Text, IntWritable> {
    static final String SLEEP_MS = "test.slow-mapper.sleep-ms";

    @Override
    protected void map(LongWritable key, Text value, Context context)
        throws IOException, InterruptedException {
      Thread.sleep(context.getConfiguration().getLong(SLEEP_MS, 100));
      context.write(value, new IntWritable(1));
    }
  }
}
