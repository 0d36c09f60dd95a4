package io.marvel.faas.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheLocalizerTest {
  @TempDir
  Path dir;
  Path sources;
  Path cacheDir;

  @BeforeEach
  void createDirs() throws IOException {
    sources = Files.createDirectories(dir.resolve("sources"));
    cacheDir = dir.resolve("cache");
  }

  private JobConf conf(String archives) {
    JobConf conf = new JobConf();
    conf.set(MRJobConfig.ID, "job_1_0042");
    conf.set(MRJobConfig.CACHE_ARCHIVES, archives);
    return conf;
  }

  private static FileSystem local() throws IOException {
    return FileSystem.getLocal(new Configuration());
  }

  private String uri(Path file) {
    return file.toUri().toString();
  }

  @Test
  void unpacksEveryFormatOnceAndNamesEveryEntryByFragmentOrFileName() throws IOException {
    Path zip = zip(sources.resolve("data.zip"), "a/one.txt", "zipped");
    Path tgz = tar(sources.resolve("data.tgz"), "b/two.txt", "tarred and gzipped", true);
    Path tar = tar(sources.resolve("data.tar"), "c/three.txt", "tarred", false);
    Path jar = jar(sources.resolve("lib.jar"), "marvel/res.txt", "in a jar");
    Path plain = Files.writeString(sources.resolve("notes.bin"), "not an archive");
    JobConf conf = conf(String.join(",", uri(zip) + "#z", uri(tgz) + "#t", uri(tar) + "#r",
        uri(jar), uri(plain) + "#p"));
    conf.set(MRJobConfig.CLASSPATH_ARCHIVES, jar.toString());
    CacheLocalizer localizer = new CacheLocalizer(cacheDir);

    localizer.localize(conf, local());

    Map<String, Path> links = localizer.links();
    assertEquals(List.of("z", "t", "r", "lib.jar", "p"), List.copyOf(links.keySet()),
        "every entry is named, by its #fragment or else its file name, in the job's order");
    assertEquals("zipped", Files.readString(links.get("z").resolve("a/one.txt")));
    assertEquals("tarred and gzipped", Files.readString(links.get("t").resolve("b/two.txt")));
    assertEquals("tarred", Files.readString(links.get("r").resolve("c/three.txt")));
    assertEquals("in a jar", Files.readString(links.get("lib.jar").resolve("marvel/res.txt")));
    assertEquals("not an archive", Files.readString(links.get("p")));
    assertTrue(Files.isRegularFile(links.get("p")), "an unknown format is kept as the file");
    String[] local = conf.getStrings(MRJobConfig.CACHE_LOCALARCHIVES);
    assertEquals(5, local.length);
    assertTrue(Files.isDirectory(Path.of(local[3])) && local[3].endsWith("lib.jar"), local[3]);
    List<URL> classpath = localizer.classpath();
    assertEquals(1, classpath.size(), classpath.toString());
    try (URLClassLoader loader = new URLClassLoader(classpath.toArray(new URL[0]), null)) {
      URL resource = loader.getResource("marvel/res.txt");
      assertNotNull(resource, "the unpacked jar is on the class path");
      try (var in = resource.openStream()) {
        assertEquals("in a jar", new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    try (var downloads = Files.walk(cacheDir)) {
      assertFalse(downloads.anyMatch(p -> p.getFileName().toString().equals("download")),
          "downloaded archives are removed after unpacking");
    }
  }

  @Test
  void cacheFilesWithoutFragmentAreNamedByFileNameAsYarnLinksThem() throws IOException {
    Path mapper = Files.writeString(sources.resolve("mapper.py"), "print('map')");
    Path dict = Files.writeString(sources.resolve("words.txt"), "alpha");
    JobConf conf = new JobConf();
    conf.set(MRJobConfig.ID, "job_1_0042");
    conf.set(MRJobConfig.CACHE_FILES, uri(mapper) + "," + uri(dict) + "#dict");
    CacheLocalizer localizer = new CacheLocalizer(cacheDir);

    localizer.localize(conf, local());

    assertEquals(List.of("mapper.py", "dict"), List.copyOf(localizer.links().keySet()));
    assertEquals("print('map')", Files.readString(localizer.links().get("mapper.py")));
    assertEquals("alpha", Files.readString(localizer.links().get("dict")));
  }

  @Test
  void libjarsDirectoryIsLinkedByItsNameWithItsJarsOnTheClasspath() throws IOException {
    Path libjars = Files.createDirectories(sources.resolve("staging/libjars"));
    jar(libjars.resolve("b.jar"), "marvel/b.txt", "b");
    jar(libjars.resolve("a.jar"), "marvel/a.txt", "a");
    Files.writeString(libjars.resolve("notes.txt"), "not a jar");
    JobConf conf = new JobConf();
    conf.set(MRJobConfig.ID, "job_1_0042");
    conf.set(MRJobConfig.CACHE_FILES, uri(libjars) + "*");
    conf.set(MRJobConfig.CLASSPATH_FILES, libjars.resolve("a.jar") + ","
        + libjars.resolve("b.jar"));
    CacheLocalizer localizer = new CacheLocalizer(cacheDir);

    localizer.localize(conf, local());

    assertEquals(List.of("libjars"), List.copyOf(localizer.links().keySet()));
    assertEquals("not a jar",
        Files.readString(localizer.links().get("libjars").resolve("notes.txt")));
    List<URL> classpath = localizer.classpath();
    assertEquals(2, classpath.size(), "each jar of the directory once: " + classpath);
    assertTrue(classpath.get(0).getPath().endsWith("libjars/a.jar")
        && classpath.get(1).getPath().endsWith("libjars/b.jar"), classpath.toString());
  }

  @Test
  void classpathFileWithoutSchemeAndCacheEntryIsTakenFromTheStagingFileSystem()
      throws IOException {
    Path jar = jar(sources.resolve("tool.jar"), "marvel/t.txt", "t");
    JobConf conf = new JobConf();
    conf.set(MRJobConfig.ID, "job_1_0042");
    conf.set(MRJobConfig.CLASSPATH_FILES, jar.toString());
    CacheLocalizer localizer = new CacheLocalizer(cacheDir);

    localizer.localize(conf, local());

    List<URL> classpath = localizer.classpath();
    assertEquals(1, classpath.size(), classpath.toString());
    assertTrue(classpath.get(0).getPath().startsWith(cacheDir.toUri().getPath()),
        "a copy in the job's cache: " + classpath);
    try (URLClassLoader loader = new URLClassLoader(classpath.toArray(new URL[0]), null)) {
      assertNotNull(loader.getResource("marvel/t.txt"));
    }
  }

  @Test
  void missingClasspathFileFailsNamingIt() {
    Path missing = sources.resolve("gone.jar");
    JobConf conf = new JobConf();
    conf.set(MRJobConfig.ID, "job_1_0042");
    conf.set(MRJobConfig.CLASSPATH_FILES, missing.toString());

    IOException e = assertThrows(IOException.class,
        () -> new CacheLocalizer(cacheDir).localize(conf, local()));

    assertTrue(e.getMessage().startsWith("cannot localize classpath file file:" + missing
        + " of job job_1_0042: java.io.FileNotFoundException"), e.getMessage());
  }

  @Test
  void twoEntriesUnderOneNameFailNamingBoth() throws IOException {
    Path one = Files.writeString(Files.createDirectories(sources.resolve("a"))
        .resolve("x.txt"), "a");
    Path two = Files.writeString(Files.createDirectories(sources.resolve("b"))
        .resolve("x.txt"), "b");
    JobConf conf = new JobConf();
    conf.set(MRJobConfig.ID, "job_1_0042");
    conf.set(MRJobConfig.CACHE_FILES, uri(one) + "," + uri(two));

    IOException e = assertThrows(IOException.class,
        () -> new CacheLocalizer(cacheDir).localize(conf, local()));

    assertEquals("cannot link cache file " + uri(two) + " of job job_1_0042 as 'x.txt': "
        + uri(one) + " of the same job is linked under that name; give one of them another"
        + " name with a #fragment", e.getMessage());
  }

  @Test
  void theSameFileTwiceIsLinkedOnce() throws IOException {
    Path one = Files.writeString(sources.resolve("x.txt"), "a");
    JobConf conf = new JobConf();
    conf.set(MRJobConfig.ID, "job_1_0042");
    conf.set(MRJobConfig.CACHE_FILES, uri(one) + "," + uri(one) + "#x.txt");
    CacheLocalizer localizer = new CacheLocalizer(cacheDir);

    localizer.localize(conf, local());

    assertEquals(List.of("x.txt"), List.copyOf(localizer.links().keySet()));
  }

  @Test
  void fragmentThatIsNoFileNameFails() throws IOException {
    Path one = Files.writeString(sources.resolve("x.txt"), "a");
    JobConf conf = new JobConf();
    conf.set(MRJobConfig.ID, "job_1_0042");
    conf.set(MRJobConfig.CACHE_FILES, uri(one) + "#..");

    IOException e = assertThrows(IOException.class,
        () -> new CacheLocalizer(cacheDir).localize(conf, local()));

    assertEquals("cannot link cache file " + uri(one) + "#.. of job job_1_0042 as '..': a link"
        + " name must be a file name in the working directory; give the cache file a"
        + " #fragment without '/'", e.getMessage());
  }

  @Test
  void corruptArchiveFailsNamingArchiveAndCause() throws IOException {
    Path good = zip(sources.resolve("good.zip"), "x.txt", "fine");
    Path broken = Files.writeString(sources.resolve("broken.zip"), "this is no zip file");
    JobConf conf = conf(uri(good) + "#good," + uri(broken) + "#broken");

    IOException e = assertThrows(IOException.class,
        () -> new CacheLocalizer(cacheDir).localize(conf, local()));

    assertTrue(e.getMessage().startsWith("cannot localize cache archive " + uri(broken)
        + "#broken of job job_1_0042: java.io.IOException: Error reading Zip content"),
        e.getMessage());
  }

  @Test
  void missingArchiveFailsNamingIt() {
    Path missing = sources.resolve("gone.tgz");
    JobConf conf = conf(uri(missing));

    IOException e = assertThrows(IOException.class,
        () -> new CacheLocalizer(cacheDir).localize(conf, local()));

    assertTrue(e.getMessage().startsWith("cannot localize cache archive " + uri(missing)
        + " of job job_1_0042: java.io.FileNotFoundException"), e.getMessage());
  }

  @Test
  void truncatedTarFailsNamingIt() throws IOException {
    Path tgz = tar(sources.resolve("cut.tar.gz"), "a.txt", "x".repeat(10_000), true);
    byte[] bytes = Files.readAllBytes(tgz);
    Files.write(tgz, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    JobConf conf = conf(uri(tgz) + "#cut");

    IOException e = assertThrows(IOException.class,
        () -> new CacheLocalizer(cacheDir).localize(conf, local()));

    assertTrue(e.getMessage().startsWith("cannot localize cache archive " + uri(tgz)
        + "#cut of job job_1_0042: "), e.getMessage());
  }

  private static Path zip(Path file, String entry, String text) throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
      out.putNextEntry(new ZipEntry(entry));
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return file;
  }

  private static Path jar(Path file, String entry, String text) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
      out.putNextEntry(new JarEntry(entry));
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return file;
  }

  private static Path tar(Path file, String entry, String text, boolean gzip)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    OutputStream raw = Files.newOutputStream(file);
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(
        gzip ? new GzipCompressorOutputStream(raw) : raw)) {
      TarArchiveEntry tarEntry = new TarArchiveEntry(entry);
      tarEntry.setSize(bytes.length);
      out.putArchiveEntry(tarEntry);
      out.write(bytes);
      out.closeArchiveEntry();
    }
    return file;
  }
}
