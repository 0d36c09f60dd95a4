package io.marvel.faas.task;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Localizes a job's distributed cache into a container, as YARN's localizer does for a task:
 * cache files are copied, and cache archives copied and unpacked ({@link ArchiveUnpacker}), into
 * the job's cache directory. Every entry gets a link name, its {@code #fragment} or else its
 * file name, as YARN and Hadoop's local runner name them; {@link AttemptWorkingDir} links them
 * into the working directory while an attempt of the job runs. Entries on the job's classpath
 * ({@code mapreduce.job.classpath.files} and {@code .archives}) are collected for the job's
 * class loader, an unpacked archive as its directory (as Hadoop's local runner does), the
 * {@code libjars/*} entry of {@code -libjars} as the jars of that directory; classpath files
 * that no cache entry brought are copied from the staging file system. One instance localizes
 * one job; not thread-safe.
 */
final class CacheLocalizer {
  private static final Logger LOG = LoggerFactory.getLogger(CacheLocalizer.class);
  /** DistributedCache.WILDCARD, without the deprecated class. */
  private static final String WILDCARD = "*";

  private final Path cacheDir;
  private final List<URL> classpath = new ArrayList<>();
  private final Map<String, Path> links = new LinkedHashMap<>();
  private final Map<String, URI> linkSources = new HashMap<>();
  private final Set<String> classpathLocalized = new HashSet<>();

  /** @param cacheDir the job's local cache directory, created if missing */
  CacheLocalizer(Path cacheDir) {
    this.cacheDir = cacheDir;
  }

  /**
   * Localizes every cache file and archive of the job and records their local paths in the
   * configuration ({@code mapreduce.job.cache.local.files} and {@code .archives}). On failure
   * the caller removes the cache directory.
   *
   * @param conf the job configuration
   * @param stagingFs the file system the job was staged on, which classpath files without a
   *     scheme are on
   * @throws IOException naming the file or archive that cannot be copied or unpacked, or two
   *     entries that would be linked under one name
   */
  void localize(JobConf conf, FileSystem stagingFs) throws IOException {
    List<String> files = localizeAll(conf, MRJobConfig.CACHE_FILES,
        MRJobConfig.CLASSPATH_FILES, false);
    List<String> archives = localizeAll(conf, MRJobConfig.CACHE_ARCHIVES,
        MRJobConfig.CLASSPATH_ARCHIVES, true);
    localizeOtherClasspathFiles(conf, stagingFs);
    if (!files.isEmpty()) {
      conf.setStrings(MRJobConfig.CACHE_LOCALFILES, files.toArray(new String[0]));
    }
    if (!archives.isEmpty()) {
      conf.setStrings(MRJobConfig.CACHE_LOCALARCHIVES, archives.toArray(new String[0]));
    }
  }

  /** @return local files and unpacked archive directories for the job's class loader */
  List<URL> classpath() {
    return List.copyOf(classpath);
  }

  /** @return link name to localized file or directory, for every cache entry of the job */
  Map<String, Path> links() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(links));
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
      // -libjars ships its directory as "libjars/*": the directory, linked under its name,
      // whose jars go on the classpath, as YARN localizes it.
      boolean wildcard = !archives && source.getName().equals(WILDCARD);
      if (wildcard) {
        source = source.getParent();
      }
      Path local;
      try {
        local = archives ? localizeArchive(conf, source, i) : localizeFile(conf, source, i);
      } catch (IOException e) {
        throw new IOException("cannot localize " + kind + " " + uri + " of job "
            + conf.get(MRJobConfig.ID) + ": " + e, e);
      }
      localPaths.add(local.toString());
      if (wildcard) {
        addJars(local, source.toUri().getPath());
      } else if (onClasspath.contains(uri.getPath())) {
        classpath.add(local.toUri().toURL());
        classpathLocalized.add(uri.getPath());
      }
      String name = uri.getFragment() != null ? uri.getFragment() : source.getName();
      addLink(conf, name, local, uri, kind);
    }
    return localPaths;
  }

  private void addJars(Path localDir, String sourceDir) throws IOException {
    try (Stream<Path> files = Files.list(localDir)) {
      for (Path jar : (Iterable<Path>) files.sorted()::iterator) {
        String name = jar.getFileName().toString();
        if (Files.isRegularFile(jar) && name.toLowerCase(Locale.ROOT).endsWith(".jar")) {
          classpath.add(jar.toUri().toURL());
          classpathLocalized.add(sourceDir + "/" + name);
        }
      }
    }
  }

  /**
   * Copies the classpath files no cache entry brought: Hadoop records -libjars without a
   * scheme, and leaves a jar that is already on the staging file system (local staging) where
   * it is instead of copying it into the job's libjars directory.
   */
  private void localizeOtherClasspathFiles(JobConf conf, FileSystem stagingFs)
      throws IOException {
    int index = 0;
    for (String entry : conf.getTrimmedStringCollection(MRJobConfig.CLASSPATH_FILES)) {
      org.apache.hadoop.fs.Path jar = new org.apache.hadoop.fs.Path(entry);
      index++;
      if (classpathLocalized.contains(jar.toUri().getPath())) {
        continue;
      }
      if (jar.toUri().getScheme() == null) {
        jar = stagingFs.makeQualified(jar);
      }
      Path local = cacheDir.resolve("classpath").resolve(index + "-" + jar.getName());
      try {
        Files.createDirectories(local.getParent());
        jar.getFileSystem(conf).copyToLocalFile(jar,
            new org.apache.hadoop.fs.Path(local.toUri()));
      } catch (IOException e) {
        throw new IOException("cannot localize classpath file " + jar + " of job "
            + conf.get(MRJobConfig.ID) + ": " + e, e);
      }
      classpath.add(local.toUri().toURL());
    }
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

  private void addLink(JobConf conf, String name, Path local, URI uri, String kind)
      throws IOException {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")) {
      throw new IOException("cannot link " + kind + " " + uri + " of job "
          + conf.get(MRJobConfig.ID) + " as '" + name + "': a link name must be a file name"
          + " in the working directory; give the " + kind + " a #fragment without '/'");
    }
    URI sourceOnly = withoutFragment(uri);
    URI earlier = linkSources.putIfAbsent(name, sourceOnly);
    if (earlier == null) {
      links.put(name, local);
    } else if (!earlier.equals(sourceOnly)) {
      // YARN refuses such a job too: one name cannot hold two files.
      throw new IOException("cannot link " + kind + " " + uri + " of job "
          + conf.get(MRJobConfig.ID) + " as '" + name + "': " + earlier + " of the same job is"
          + " linked under that name; give one of them another name with a #fragment");
    }
  }

  private static URI withoutFragment(URI uri) {
    try {
      return new URI(uri.getScheme(), uri.getSchemeSpecificPart(), null);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(uri.toString(), e);
    }
  }
}
