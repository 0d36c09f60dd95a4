package io.marvel.faas.task;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Localizes a job's distributed cache into a container, as YARN's localizer does for a task:
 * cache files are copied, and cache archives copied and unpacked ({@link ArchiveUnpacker}), into
 * the job's cache directory; an entry named with a {@code #fragment} is linked into the working
 * directory, where tasks open it by that name; entries on the job's classpath
 * ({@code mapreduce.job.classpath.files} and {@code .archives}) are collected for the job's class
 * loader, an unpacked archive as its directory (as Hadoop's local runner does). One instance
 * localizes one job; not thread-safe.
 */
final class CacheLocalizer {
  private static final Logger LOG = LoggerFactory.getLogger(CacheLocalizer.class);

  private final Path cacheDir;
  private final Path workDir;
  private final List<URL> classpath = new ArrayList<>();
  private final Map<Path, Path> links = new HashMap<>();

  /**
   * @param cacheDir the job's local cache directory, created if missing
   * @param workDir the working directory fragments are linked into
   */
  CacheLocalizer(Path cacheDir, Path workDir) {
    this.cacheDir = cacheDir;
    this.workDir = workDir;
  }

  /**
   * Localizes every cache file and archive of the job and records their local paths in the
   * configuration ({@code mapreduce.job.cache.local.files} and {@code .archives}). On failure
   * the links made so far are removed; the caller removes the cache directory.
   *
   * @param conf the job configuration
   * @throws IOException naming the file or archive that cannot be copied, unpacked or linked
   */
  void localize(JobConf conf) throws IOException {
    try {
      List<String> files = localizeAll(conf, MRJobConfig.CACHE_FILES,
          MRJobConfig.CLASSPATH_FILES, false);
      List<String> archives = localizeAll(conf, MRJobConfig.CACHE_ARCHIVES,
          MRJobConfig.CLASSPATH_ARCHIVES, true);
      if (!files.isEmpty()) {
        conf.setStrings(MRJobConfig.CACHE_LOCALFILES, files.toArray(new String[0]));
      }
      if (!archives.isEmpty()) {
        conf.setStrings(MRJobConfig.CACHE_LOCALARCHIVES, archives.toArray(new String[0]));
      }
    } catch (IOException | RuntimeException e) {
      unlink(links);
      links.clear();
      throw e;
    }
  }

  /** @return local files and unpacked archive directories for the job's class loader */
  List<URL> classpath() {
    return List.copyOf(classpath);
  }

  /** @return the links made in the working directory, link to target */
  Map<Path, Path> links() {
    return Map.copyOf(links);
  }

  /**
   * Removes links made by a localizer, unless another job has taken the name over since.
   *
   * @param links link to target, as {@link #links()} returned them
   * @throws IOException if a link cannot be read or deleted
   */
  static void unlink(Map<Path, Path> links) throws IOException {
    for (Map.Entry<Path, Path> link : links.entrySet()) {
      if (Files.isSymbolicLink(link.getKey())
          && Files.readSymbolicLink(link.getKey()).equals(link.getValue())) {
        Files.delete(link.getKey());
      }
    }
  }

  private List<String> localizeAll(JobConf conf, String cacheKey, String classpathKey,
      boolean archives) throws IOException {
    String[] entries = conf.getStrings(cacheKey);
    if (entries == null) {
      return List.of();
    }
    Set<String> onClasspath = new HashSet<>();
    for (String entry : conf.getTrimmedStringCollection(classpathKey)) {
      onClasspath.add(new org.apache.hadoop.fs.Path(entry).toUri().getPath());
    }
    String kind = archives ? "cache archive" : "cache file";
    List<String> localPaths = new ArrayList<>();
    for (int i = 0; i < entries.length; i++) {
      URI uri = URI.create(entries[i]);
      org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(uri.getScheme(),
          uri.getAuthority(), uri.getPath());
      Path local;
      try {
        local = archives ? localizeArchive(conf, source, i) : localizeFile(conf, source, i);
      } catch (IOException e) {
        throw new IOException("cannot localize " + kind + " " + uri + " of job "
            + conf.get(MRJobConfig.ID) + ": " + e, e);
      }
      localPaths.add(local.toString());
      if (onClasspath.contains(uri.getPath())) {
        classpath.add(local.toUri().toURL());
      }
      if (uri.getFragment() != null) {
        link(local, uri.getFragment(), kind);
      }
    }
    return localPaths;
  }

  private Path localizeFile(JobConf conf, org.apache.hadoop.fs.Path source, int index)
      throws IOException {
    Files.createDirectories(cacheDir);
    Path local = cacheDir.resolve(index + "-" + source.getName());
    source.getFileSystem(conf).copyToLocalFile(source,
        new org.apache.hadoop.fs.Path(local.toUri()));
    return local;
  }

  /**
   * Copies the archive next to its slot and unpacks it into {@code archives/<index>/<name>}, a
   * directory named like the archive, as YARN names it.
   */
  private Path localizeArchive(JobConf conf, org.apache.hadoop.fs.Path source, int index)
      throws IOException {
    Path slot = cacheDir.resolve("archives").resolve(Integer.toString(index));
    Path download = slot.resolve("download").resolve(source.getName());
    Files.createDirectories(download.getParent());
    source.getFileSystem(conf).copyToLocalFile(source,
        new org.apache.hadoop.fs.Path(download.toUri()));
    Path target = slot.resolve(source.getName());
    ArchiveUnpacker.unpack(download, target);
    CachedJob.deleteTree(download.getParent());
    LOG.debug("Unpacked cache archive {} into {}", source, target);
    return target;
  }

  private void link(Path local, String fragment, String kind) throws IOException {
    Path link = workDir.resolve(fragment);
    // A link left by an earlier job of this container is replaced; a real file is not.
    if (Files.isSymbolicLink(link)) {
      Files.delete(link);
    }
    if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("cannot link " + kind + " " + local + " as " + link
          + ": a file of that name exists in the container's working directory; rename the "
          + kind + "'s #fragment");
    }
    Files.createSymbolicLink(link, local);
    links.put(link, local);
  }
}
