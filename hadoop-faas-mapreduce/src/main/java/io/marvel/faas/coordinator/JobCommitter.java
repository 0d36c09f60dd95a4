package io.marvel.faas.coordinator;

import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.TaskAttemptContextImpl;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.OutputCommitter;
import org.apache.hadoop.mapreduce.OutputFormat;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.util.ReflectionUtils;

/**
 * The job-level OutputCommitter of a job, as its tasks will use it: from the output format for
 * the new API, from {@code mapred.output.committer.class} for the old one (chosen by the API
 * of the tasks that write the output: the reducers, or the mappers of a map-only job).
 */
public final class JobCommitter {
  private JobCommitter() {
  }

  /**
   * @param conf the job's configuration, with a class loader that sees the job's classes
   * @param jobId the job
   * @return its committer
   * @throws Exception if the output format or committer cannot be made
   */
  public static OutputCommitter of(JobConf conf, JobID jobId) throws Exception {
    boolean newApi = conf.getNumReduceTasks() == 0 ? conf.getUseNewMapper()
        : conf.getUseNewReducer();
    if (!newApi) {
      return conf.getOutputCommitter();
    }
    TaskAttemptContextImpl taskContext = new TaskAttemptContextImpl(conf,
        org.apache.hadoop.mapred.TaskAttemptID.downgrade(
            new TaskAttemptID(new TaskID(jobId, TaskType.MAP, 0), 0)));
    OutputFormat<?, ?> format = ReflectionUtils.newInstance(taskContext.getOutputFormatClass(),
        conf);
    return format.getOutputCommitter(taskContext);
  }
}
