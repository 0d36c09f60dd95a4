package io.marvel.faas.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
  Path workDir;

  @BeforeEach
  void createDirs() throws IOException {
    sources = Files.createDirectories(dir.resolve("sources"));
    cacheDir = dir.resolve("cache");
    workDir = Files.createDirectories(dir.resolve("work"));
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
  void unpacksEveryFormatOnceAndLinksFragments() throws IOException {
    Path zip = zip(sources.resolve("data.zip"), "a/one.txt", "zipped");
    Path tgz = tar(sources.resolve("data.tgz"), "b/two.txt", "tarred and gzipped", true);
    Path tar = tar(sources.resolve("data.tar"), "c/three.txt", "tarred", false);
    Path jar = jar(sources.resolve("lib.jar"), "marvel/res.txt", "in a jar");
    Path plain = Files.writeString(sources.resolve("notes.bin"), "not an archive");
    JobConf conf = conf(String.join(",", uri(zip) + "#z", uri(tgz) + "#t", uri(tar) + "#r",
        uri(jar), uri(plain) + "#p"));
    conf.set(MRJobConfig.CLASSPATH_ARCHIVES, jar.toString());
    CacheLocalizer localizer = new CacheLocalizer(cacheDir, workDir);

    localizer.localize(conf);

    assertEquals("zipped", Files.readString(workDir.resolve("z/a/one.txt")));
    assertEquals("tarred and gzipped", Files.readString(workDir.resolve("t/b/two.txt")));
    assertEquals("tarred", Files.readString(workDir.resolve("r/c/three.txt")));
    assertEquals("not an archive", Files.readString(workDir.resolve("p")));
    assertTrue(Files.isRegularFile(Files.readSymbolicLink(workDir.resolve("p"))),
        "an unknown format is kept as the file itself");
    assertEquals(4, localizer.links().size(), "only entries with a #fragment are linked");
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
  void corruptArchiveFailsNamingArchiveAndCauseAndRemovesLinks() throws IOException {
    Path good = zip(sources.resolve("good.zip"), "x.txt", "fine");
    Path broken = Files.writeString(sources.resolve("broken.zip"), "this is no zip file");
    JobConf conf = conf(uri(good) + "#good," + uri(broken) + "#broken");

    IOException e = assertThrows(IOException.class,
        () -> new CacheLocalizer(cacheDir, workDir).localize(conf));

    assertTrue(e.getMessage().startsWith("cannot localize cache archive " + uri(broken)
        + "#broken of job job_1_0042: java.io.IOException: Error reading Zip content"),
        e.getMessage());
    try (var left = Files.list(workDir)) {
      assertArrayEquals(new Object[0], left.toArray(), "the link made before is removed");
    }
  }

  @Test
  void missingArchiveFailsNamingIt() {
    Path missing = sources.resolve("gone.tgz");
    JobConf conf = conf(uri(missing));

    IOException e = assertThrows(IOException.class,
        () -> new CacheLocalizer(cacheDir, workDir).localize(conf));

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
        () -> new CacheLocalizer(cacheDir, workDir).localize(conf));

    assertTrue(e.getMessage().startsWith("cannot localize cache archive " + uri(tgz)
        + "#cut of job job_1_0042: "), e.getMessage());
  }

  @Test
  void realFileInWorkingDirectoryIsNotReplacedByALink() throws IOException {
    Path zip = zip(sources.resolve("data.zip"), "a.txt", "zipped");
    Files.writeString(workDir.resolve("taken"), "user data");
    JobConf conf = conf(uri(zip) + "#taken");

    IOException e = assertThrows(IOException.class,
        () -> new CacheLocalizer(cacheDir, workDir).localize(conf));

    assertTrue(e.getMessage().contains("a file of that name exists in the container's working"
        + " directory; rename the cache archive's #fragment"), e.getMessage());
    assertEquals("user data", Files.readString(workDir.resolve("taken")));
  }

  @Test
  void unlinkKeepsALinkAnotherJobTookOver() throws IOException {
    Path mine = Files.createDirectories(dir.resolve("mine"));
    Path theirs = Files.createDirectories(dir.resolve("theirs"));
    Path link = Files.createSymbolicLink(workDir.resolve("shared"), theirs);

    CacheLocalizer.unlink(Map.of(link, mine));

    assertTrue(Files.isSymbolicLink(link));
    CacheLocalizer.unlink(Map.of(link, theirs));
    assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
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
