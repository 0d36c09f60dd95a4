package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.whisk.testing.ActionJars;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The submission-time check of a job's classes, against jars on the local file system. */
class JobClassCheckTest {
  private static final String LIB_CLASS = "lib.OnlyInLibJar";

  @TempDir
  Path dir;

  @Test
  void aClassFromAClasspathJarIsFound() throws Exception {
    JobConf job = jobWithMapper(LIB_CLASS);
    job.setClassLoader(loaderWithLibJar(job));
    assertDoesNotThrow(() -> JobClassCheck.check("job_1", job));
  }

  @Test
  void aMissingClassIsNamedWithItsKey() throws Exception {
    JobConf job = jobWithMapper("no.such.Mapper");
    job.setClassLoader(JobClassCheck.loaderFor(job, FileSystem.getLocal(job),
        new org.apache.hadoop.fs.Path(dir.resolve("staging").toUri())));
    IOException e = assertThrows(IOException.class, () -> JobClassCheck.check("job_1", job));
    assertTrue(e.getMessage().contains("no.such.Mapper")
        && e.getMessage().contains("mapreduce.job.map.class"), e.getMessage());
  }

  @Test
  void classesAClasspathArchiveMayHoldAreNotRefused() throws Exception {
    JobConf job = jobWithMapper("in.an.archive.Mapper");
    job.set(MRJobConfig.CLASSPATH_ARCHIVES, dir.resolve("lib.tgz").toUri().toString());
    job.setClassLoader(JobClassCheck.loaderFor(job, FileSystem.getLocal(job),
        new org.apache.hadoop.fs.Path(dir.resolve("staging").toUri())));
    assertDoesNotThrow(() -> JobClassCheck.check("job_1", job));
  }

  @Test
  void theLocalCopyOfAJarLeavesNoChecksumFileBehind() throws Exception {
    URLClassLoader loader = (URLClassLoader) loaderWithLibJar(jobWithMapper(LIB_CLASS));
    Path copy = Path.of(loader.getURLs()[0].toURI());
    Path crc = copy.resolveSibling("." + copy.getFileName() + ".crc");
    try {
      assertTrue(Files.isRegularFile(copy), copy + " is not there");
      assertFalse(Files.exists(crc), crc + " was left beside the copy");
    } finally {
      loader.close();
      Files.deleteIfExists(copy);
      Files.deleteIfExists(crc);
    }
  }

  /** @return the check's class loader for a job whose -libjars jar holds {@link #LIB_CLASS} */
  private ClassLoader loaderWithLibJar(JobConf job) throws Exception {
    Path lib = dir.resolve("lib.jar");
    Files.write(lib, ActionJars.compile(dir, LIB_CLASS,
        "package lib; public class OnlyInLibJar {}"));
    job.set(MRJobConfig.CLASSPATH_FILES, lib.toUri().toString());
    return JobClassCheck.loaderFor(job, FileSystem.getLocal(job),
        new org.apache.hadoop.fs.Path(dir.resolve("staging").toUri()));
  }

  private static JobConf jobWithMapper(String mapper) {
    JobConf job = new JobConf(false);
    job.set("mapreduce.job.map.class", mapper);
    return job;
  }
}
