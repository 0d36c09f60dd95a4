package io.marvel.faas.client;

import io.marvel.faas.testing.WordCountJobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;

/**
 * A driver as {@code hadoop jar} runs one: it submits a faas job on the embedded platform and
 * waits for it, while the job's map blocks, so that a test can stop this JVM mid-job.
 *
 * <p>Arguments: a local work dir (holding {@code in/}; the job writes {@code out/},
 * {@code summary/} and {@code tmp/} there) and the PMEM state dir. Prints {@value #JOB} and the
 * job id once submitted; the map writes its container's pid to {@code <work>/map-started} and
 * then waits (up to two minutes) for {@code <work>/release}.
 */
public final class BlockingDriver {
  /** Prefix of the line naming the job id. */
  static final String JOB = "JOB ID:";
  /** The file the map writes its pid to when it runs. */
  static final String MAP_STARTED = "map-started";
  private static final String WORK_DIR = "test.blocking-driver.work";

  private BlockingDriver() {
  }

  /**
   * @param args the work dir and the PMEM state dir
   * @throws Exception if the job cannot be submitted
   */
  public static void main(String[] args) throws Exception {
    java.nio.file.Path work = Paths.get(args[0]);
    Configuration conf = ChildDrivers.embeddedPlatformConf(work, args[1], 1);
    conf.set(WORK_DIR, work.toString());
    Job job = WordCountJobs.wordCount(conf, "blocking-driver",
        new Path(work.resolve("in").toUri()), new Path(work.resolve("out").toUri()));
    job.setMapperClass(BlockingMapper.class);
    job.submit();
    System.out.println(JOB + " " + job.getJobID());
    System.out.flush();
    job.waitForCompletion(false);
  }

  /** Announces itself, then waits for the release file before it maps anything. */
  public static class BlockingMapper extends Mapper<LongWritable, Text, Text, IntWritable> {
    @Override
    protected void setup(Context context) throws IOException, InterruptedException {
      java.nio.file.Path work = Paths.get(context.getConfiguration().get(WORK_DIR));
      Files.writeString(work.resolve(MAP_STARTED), Long.toString(ProcessHandle.current().pid()));
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (!Files.exists(work.resolve("release")) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
  }
}
