package io.marvel.faas.task;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a warm container keeps of one job: its configuration, the localized job.xml, job jar
 * and distributed cache (with the names its entries are linked under while an attempt runs),
 * the class loader over them and the user the job's tasks run as.
 * Immutable once built, except for {@link #close()}; tasks take a copy of the configuration.
 */
final class CachedJob implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CachedJob.class);

  private final String jobId;
  private final JobConf conf;
  private final Path localJobFile;
  private final URLClassLoader loader;
  private final UserGroupInformation ugi;
  private final Path dir;
  private final Map<String, Path> links;

  CachedJob(String jobId, JobConf conf, Path localJobFile, URLClassLoader loader,
      UserGroupInformation ugi, Path dir, Map<String, Path> links) {
    this.jobId = jobId;
    this.conf = conf;
    this.localJobFile = localJobFile;
    this.loader = loader;
    this.ugi = ugi;
    this.dir = dir;
    this.links = links;
  }

  String jobId() {
    return jobId;
  }

  /** @return a fresh copy of the job configuration for one task attempt */
  JobConf taskConf() {
    JobConf copy = new JobConf(conf);
    copy.setClassLoader(loader);
    return copy;
  }

  Path localJobFile() {
    return localJobFile;
  }

  ClassLoader loader() {
    return loader;
  }

  UserGroupInformation ugi() {
    return ugi;
  }

  /** @return link name to localized cache file or directory, in the job's order */
  Map<String, Path> links() {
    return links;
  }

  /** Drops the job: closes its class loader and file systems, deletes what was localized. */
  @Override
  public void close() {
    try {
      loader.close();
      FileSystem.closeAllForUGI(ugi);
      deleteTree(dir);
      LOG.info("Evicted job {} from container cache", jobId);
    } catch (IOException e) {
      LOG.warn("Could not clean up cached job {} in {}", jobId, dir, e);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
  }
}
