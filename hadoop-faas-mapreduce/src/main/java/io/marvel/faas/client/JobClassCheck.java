package io.marvel.faas.client;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.mapred.JobConf;

/**
 * Checks at submission that every user class a job names can be loaded, so a job whose jar
 * lacks its mapper fails before any activation runs, with a message naming the class and key.
 */
final class JobClassCheck {
  private static final List<String> CLASS_KEYS = List.of(
      "mapreduce.job.map.class", "mapreduce.job.reduce.class", "mapreduce.job.combine.class",
      "mapreduce.job.partitioner.class", "mapreduce.job.inputformat.class",
      "mapreduce.job.outputformat.class", "mapreduce.job.output.key.comparator.class",
      "mapreduce.job.output.group.comparator.class", "mapred.mapper.class",
      "mapred.reducer.class", "mapred.combiner.class", "mapred.partitioner.class",
      "mapred.input.format.class", "mapred.output.format.class",
      "mapred.output.committer.class", "mapred.map.runner.class");

  private JobClassCheck() {
  }

  /**
   * @param jobId names the job in the message
   * @param conf the job configuration, with the job's class loader set
   * @throws IOException naming the first class that cannot be loaded, its key and the jar
   */
  static void check(String jobId, JobConf conf) throws IOException {
    for (String key : CLASS_KEYS) {
      String name = conf.getTrimmed(key);
      if (name == null || name.isEmpty()) {
        continue;
      }
      try {
        Class.forName(name, false, conf.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        String jar = conf.getJar() == null ? "no job jar (set one with Job.setJarByClass)"
            : "job jar " + conf.getJar();
        throw new IOException("job " + jobId + ": class " + name + " named by " + key
            + " cannot be loaded from " + jar + " or the classpath (" + e
            + "); check the class name and that the jar contains it", e);
      }
    }
  }
}
