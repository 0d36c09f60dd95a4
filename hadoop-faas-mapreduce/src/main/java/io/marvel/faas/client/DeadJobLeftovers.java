package io.marvel.faas.client;

import io.marvel.faas.coordinator.JobCommitter;
import io.marvel.faas.registry.JobRegistry;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.JobContextImpl;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a job whose client died (SIGKILL, a crash) left outside its state: its output
 * committer's pending output (a FileOutputCommitter's {@code _temporary}), aborted as the
 * coordinator would have aborted it, with the job's own classes, and its staging dir. Both are
 * found from the job's configuration as the registry kept it ({@code mapreduce.job.dir} names
 * the staging dir). A job the registry kept no configuration of is left as it is.
 */
final class DeadJobLeftovers {
  private static final Logger LOG = LoggerFactory.getLogger(DeadJobLeftovers.class);

  private DeadJobLeftovers() {
  }

  /**
   * @param jobId a job the registry recorded FAILED because its client died
   * @param registry the registry holding the job's configuration
   * @return true if both the output was aborted and the staging dir removed; failures are
   *     logged with what is left and how to remove it, never thrown (the submission goes on)
   */
  static boolean remove(String jobId, JobRegistry registry) {
    java.nio.file.Path confFile = registry.jobConfFile(jobId);
    if (!Files.isRegularFile(confFile)) {
      LOG.warn("Job {}, whose client died, has no configuration in {}: its staging dir and"
          + " pending output (if any) are left in place", jobId, confFile);
      return false;
    }
    // The dead job's configuration alone: settings of the submitting job, which override
    // added resources, would name that job's staging dir.
    JobConf job = new JobConf(false);
    job.addResource(new Path(confFile.toUri()));
    String stagingDir = job.getTrimmed(MRJobConfig.MAPREDUCE_JOB_DIR);
    boolean aborted = abortOutput(jobId, job, stagingDir);
    return removeStaging(jobId, job, stagingDir) && aborted;
  }

  private static boolean abortOutput(String jobId, JobConf job, String stagingDir) {
    try {
      if (stagingDir != null) {
        Path dir = new Path(stagingDir);
        job.setClassLoader(JobClassCheck.loaderFor(job, dir.getFileSystem(job), dir));
      }
      JobID id = JobID.forName(jobId);
      JobCommitter.of(job, id).abortJob(new JobContextImpl(job, id), JobStatus.State.FAILED);
      LOG.info("Job {}, whose client died: aborted its pending output", jobId);
      return true;
    } catch (Exception e) {
      LOG.warn("Job {}, whose client died: could not abort its pending output (for a file"
          + " output, remove the _temporary dir below {} by hand)", jobId,
          job.get("mapreduce.output.fileoutputformat.outputdir", "its output dir"), e);
      return false;
    }
  }

  private static boolean removeStaging(String jobId, JobConf job, String stagingDir) {
    if (stagingDir == null) {
      LOG.warn("Job {}, whose client died, names no staging dir ({}): nothing removed there",
          jobId, MRJobConfig.MAPREDUCE_JOB_DIR);
      return false;
    }
    Path dir = new Path(stagingDir);
    try {
      FileSystem fs = dir.getFileSystem(job);
      if (fs.exists(dir) && !fs.delete(dir, true)) {
        throw new IOException("delete returned false");
      }
      return true;
    } catch (IOException e) {
      LOG.warn("Job {}, whose client died: could not remove its staging dir {}; remove it by"
          + " hand", jobId, dir, e);
      return false;
    }
  }
}
