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

    localizer.localize(conf);

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

    localizer.localize(conf);

    assertEquals(List.of("mapper.py", "dict"), List.copyOf(localizer.links().keySet()));
    assertEquals("print('map')", Files.readString(localizer.links().get("mapper.py")));
    assertEquals("alpha", Files.readString(localizer.links().get("dict")));
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
        () -> new CacheLocalizer(cacheDir).localize(conf));

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

    localizer.localize(conf);

    assertEquals(List.of("x.txt"), List.copyOf(localizer.links().keySet()));
  }

  @Test
  void fragmentThatIsNoFileNameFails() throws IOException {
    Path one = Files.writeString(sources.resolve("x.txt"), "a");
    JobConf conf = new JobConf();
    conf.set(MRJobConfig.ID, "job_1_0042");
    conf.set(MRJobConfig.CACHE_FILES, uri(one) + "#..");

    IOException e = assertThrows(IOException.class,
        () -> new CacheLocalizer(cacheDir).localize(conf));

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
        () -> new CacheLocalizer(cacheDir).localize(conf));

    assertTrue(e.getMessage().startsWith("cannot localize cache archive " + uri(broken)
        + "#broken of job job_1_0042: java.io.IOException: Error reading Zip content"),
        e.getMessage());
  }

  @Test
  void missingArchiveFailsNamingIt() {
    Path missing = sources.resolve("gone.tgz");
    JobConf conf = conf(uri(missing));

    IOException e = assertThrows(IOException.class,
        () -> new CacheLocalizer(cacheDir).localize(conf));

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
        () -> new CacheLocalizer(cacheDir).localize(conf));

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
