package io.marvel.faas.client;

import io.marvel.faas.testing.WordCountJobs;
import java.nio.file.Paths;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;

/**
 * A driver as Hadoop Streaming and many user drivers are written: it runs one faas job on the
 * embedded platform and returns from {@code main} without {@code System.exit}. Before returning
 * it prints the pids of its descendant processes (the platform's containers) so that a test can
 * check they do not outlive this JVM.
 *
 * <p>Arguments: a local work dir (holding {@code in/}; the job writes {@code out/},
 * {@code summary/} and {@code tmp/} there), the PMEM state dir, and optionally
 * {@value #SUBMIT_ONLY}: submit the job and return at once, as a driver that does not wait
 * does (the job is expected to run to its end all the same, as with Hadoop's local runner).
 */
public final class ReturningDriver {
  /** Prefix of the line naming the container pids. */
  static final String CONTAINERS = "CONTAINER PIDS:";
  /** Line printed once the job has succeeded, before {@code main} returns. */
  static final String SUCCEEDED = "JOB SUCCEEDED";
  /** Third argument: return right after the submission. */
  static final String SUBMIT_ONLY = "submit-only";
  /** Line printed once the job is submitted, in {@value #SUBMIT_ONLY} mode. */
  static final String SUBMITTED = "JOB SUBMITTED";

  private ReturningDriver() {
  }

  /**
   * @param args the work dir, the PMEM state dir, optionally {@value #SUBMIT_ONLY}
   * @throws Exception if the job cannot run
   */
  public static void main(String[] args) throws Exception {
    java.nio.file.Path work = Paths.get(args[0]);
    Configuration conf = ChildDrivers.embeddedPlatformConf(work, args[1], 2);
    Job job = WordCountJobs.wordCount(conf, "returning-driver",
        new Path(work.resolve("in").toUri()), new Path(work.resolve("out").toUri()));
    if (args.length > 2 && args[2].equals(SUBMIT_ONLY)) {
      job.submit();
      System.out.println(SUBMITTED);
      System.out.flush();
      return;
    }
    if (!job.waitForCompletion(false)) {
      throw new IllegalStateException("job failed: " + job.getStatus().getFailureInfo());
    }
    System.out.println(CONTAINERS + " " + ProcessHandle.current().descendants()
        .map(p -> Long.toString(p.pid())).collect(Collectors.joining(" ")));
    System.out.println(SUCCEEDED);
    System.out.flush();
  }
}
