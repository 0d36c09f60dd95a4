package io.marvel.faas.task;

import io.marvel.faas.protocol.TaskArguments;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-container cache of jobs: the first task of a job in a container localizes the job
 * (job.xml, job.jar, cache files and archives, credentials) and later tasks of that job reuse
 * it, so an archive is copied and unpacked once per container and job. Holds at most
 * {@link #MAX_JOBS} jobs, evicting the least recently used. Thread-safe.
 */
final class JobCache {
  static final int MAX_JOBS = 4;
  private static final Logger LOG = LoggerFactory.getLogger(JobCache.class);

  private final Path root;
  private final Map<String, CachedJob> jobs = new LinkedHashMap<>(8, 0.75f, true);

  /** @param root local directory for localized jobs of this container */
  JobCache(Path root) {
    this.root = root;
  }

  /** A cached job and whether this lookup found it already cached. */
  record Lookup(CachedJob job, boolean hit) {
  }

  /**
   * @param args the task's arguments naming the job, its staging dir and user
   * @return the cached job, localized now if it was not cached
   * @throws IOException if job.xml, job.jar, a cache file or archive cannot be localized
   * @throws InterruptedException if interrupted while reading the staging dir
   */
  synchronized Lookup acquire(TaskArguments args) throws IOException, InterruptedException {
    CachedJob cached = jobs.get(args.jobId());
    if (cached != null) {
      return new Lookup(cached, true);
    }
    CachedJob loaded = localize(args);
    jobs.put(args.jobId(), loaded);
    Iterator<CachedJob> eldest = jobs.values().iterator();
    while (jobs.size() > MAX_JOBS) {
      eldest.next().close();
      eldest.remove();
    }
    return new Lookup(loaded, false);
  }

  /**
   * Drops a job from the cache, if present.
   *
   * @param jobId the job
   */
  synchronized void evict(String jobId) {
    CachedJob job = jobs.remove(jobId);
    if (job != null) {
      job.close();
    }
  }

  private CachedJob localize(TaskArguments args) throws IOException, InterruptedException {
    UserGroupInformation ugi = UserGroupInformation.createRemoteUser(args.user());
    org.apache.hadoop.fs.Path submitDir = new org.apache.hadoop.fs.Path(args.jobSubmitDir());
    Configuration base = new Configuration();
    org.apache.hadoop.fs.Path tokens =
        new org.apache.hadoop.fs.Path(submitDir, TaskArguments.CREDENTIALS_FILE);
    if (tokens.getFileSystem(base).exists(tokens)) {
      ugi.addCredentials(Credentials.readTokenStorageFile(tokens, base));
    }
    Path dir = root.resolve(args.jobId());
    CachedJob.deleteTree(dir);
    Files.createDirectories(dir);
    PrivilegedExceptionAction<CachedJob> load = () -> load(args, ugi, submitDir, base, dir);
    try {
      return ugi.doAs(load);
    } catch (IOException | InterruptedException | RuntimeException e) {
      CachedJob.deleteTree(dir);
      throw e;
    }
  }

  /**
   * Reads the staging dir through a file system instance of its own, closed here: the cached
   * one of the job's user is made later, from the job's configuration, as in a YARN task, so
   * that the job's own client settings (dfs.replication, dfs.blocksize, ...) shape its files.
   */
  private CachedJob load(TaskArguments args, UserGroupInformation ugi,
      org.apache.hadoop.fs.Path submitDir, Configuration base, Path dir) throws IOException {
    try (FileSystem fs = FileSystem.newInstance(submitDir.toUri(), base)) {
      return load(args, ugi, submitDir, fs, dir);
    }
  }

  private CachedJob load(TaskArguments args, UserGroupInformation ugi,
      org.apache.hadoop.fs.Path submitDir, FileSystem fs, Path dir) throws IOException {
    Path jobXml = dir.resolve(MRJobConfig.JOB_CONF_FILE);
    fs.copyToLocalFile(new org.apache.hadoop.fs.Path(submitDir, MRJobConfig.JOB_CONF_FILE),
        new org.apache.hadoop.fs.Path(jobXml.toUri()));
    JobConf conf = new JobConf(new org.apache.hadoop.fs.Path(jobXml.toUri()));
    // Messages name the job; the job.xml a client writes does not hold its id.
    conf.set(MRJobConfig.ID, args.jobId());
    TaskHdfsClient.shortenCloseRetry(conf);
    List<URL> classpath = new ArrayList<>();
    org.apache.hadoop.fs.Path jar = new org.apache.hadoop.fs.Path(submitDir, MRJobConfig.JOB_JAR);
    if (conf.get(MRJobConfig.JAR) != null && fs.exists(jar)) {
      Path localJar = dir.resolve(MRJobConfig.JOB_JAR);
      fs.copyToLocalFile(jar, new org.apache.hadoop.fs.Path(localJar.toUri()));
      classpath.add(localJar.toUri().toURL());
      conf.setJar(localJar.toString());
    }
    CacheLocalizer cache = new CacheLocalizer(dir.resolve("cache"));
    cache.localize(conf, fs);
    classpath.addAll(cache.classpath());
    URLClassLoader loader = new URLClassLoader("job-" + args.jobId(),
        classpath.toArray(new URL[0]), JobCache.class.getClassLoader());
    conf.setClassLoader(loader);
    LOG.info("Localized job {} for user {} into {} ({} classpath entries)", args.jobId(),
        args.user(), dir, classpath.size());
    return new CachedJob(args.jobId(), conf, jobXml, loader, ugi, dir, cache.links());
  }
}
