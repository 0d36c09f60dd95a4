package io.marvel.faas.client;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at submission that every user class a job names can be loaded, so a job whose jar
 * lacks its mapper fails before any activation runs, with a message naming the class and key.
 */
final class JobClassCheck {
  private static final Logger LOG = LoggerFactory.getLogger(JobClassCheck.class);
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
   * The class loader the coordinator uses for the job's classes: the job jar and the jars the
   * job puts on its classpath ({@code -libjars}, {@code Job.addFileToClassPath}), copied from
   * the staging file system to local temporary files, over the submitting thread's loader.
   *
   * @param submitDir the job's staging dir
   * @throws IOException if a jar cannot be copied
   */
  static ClassLoader loaderFor(JobConf job, FileSystem fs, Path submitDir) throws IOException {
    List<URL> jars = new ArrayList<>();
    Path jobJar = new Path(submitDir, MRJobConfig.JOB_JAR);
    if (job.getJar() != null && fs.exists(jobJar)) {
      jars.add(localCopy(fs, jobJar));
    }
    for (String entry : job.getTrimmedStringCollection(MRJobConfig.CLASSPATH_FILES)) {
      // Hadoop records -libjars without a scheme: they are on the staging file system.
      Path jar = new Path(entry);
      if (jar.toUri().getScheme() == null) {
        jar = fs.makeQualified(jar);
      }
      jars.add(localCopy(jar.getFileSystem(job), jar));
    }
    ClassLoader parent = Thread.currentThread().getContextClassLoader();
    return jars.isEmpty() ? parent : new URLClassLoader(jars.toArray(new URL[0]), parent);
  }

  private static URL localCopy(FileSystem fs, Path jar) throws IOException {
    java.nio.file.Path local = Files.createTempFile("faas-job-", ".jar");
    local.toFile().deleteOnExit();
    // The raw local file system: the checksummed one would also write a .crc file beside the
    // copy, which nothing deletes, one in the temporary directory per submission.
    fs.copyToLocalFile(false, jar, new Path(local.toUri()), true);
    return local.toUri().toURL();
  }

  /**
   * @param jobId names the job in the message
   * @param conf the job configuration, with the job's class loader set
   * @throws IOException naming the first class that cannot be loaded, its key and the jar
   */
  static void check(String jobId, JobConf conf) throws IOException {
    // Classpath archives are unpacked only in the task containers: what they hold is not seen.
    boolean unseenClasspath = !conf.getTrimmedStringCollection(
        MRJobConfig.CLASSPATH_ARCHIVES).isEmpty();
    for (String key : CLASS_KEYS) {
      String name = conf.getTrimmed(key);
      if (name == null || name.isEmpty()) {
        continue;
      }
      try {
        Class.forName(name, false, conf.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        if (unseenClasspath) {
          LOG.warn("Job {}: class {} named by {} is not in the job jar or classpath jars; it"
              + " must come from a classpath archive, unpacked only when tasks run", jobId, name,
              key);
          continue;
        }
        String jar = conf.getJar() == null ? "no job jar (set one with Job.setJarByClass)"
            : "job jar " + conf.getJar();
        throw new IOException("job " + jobId + ": class " + name + " named by " + key
            + " cannot be loaded from " + jar + " or the classpath (" + e
            + "); check the class name and that the jar contains it", e);
      }
    }
  }
}
