package io.marvel.faas.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.marvel.faas.protocol.ProgressFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task's progress reports: written when changed, at most once per interval, never thrown. */
class ProgressReporterTest {
  private static final String ATTEMPT = "attempt_faas1_0001_m_000000_0";

  @TempDir
  java.nio.file.Path staging;
  private ProgressFiles files;
  private final AtomicLong clock = new AtomicLong(10_000);
  private ProgressReporter reporter;

  @BeforeEach
  void prepare() throws IOException {
    files = new ProgressFiles(FileSystem.getLocal(new Configuration()),
        new Path(staging.toUri()));
    files.prepare();
    reporter = new ProgressReporter(files, ATTEMPT, 1_000, clock::get);
  }

  private java.nio.file.Path report() {
    return staging.resolve(ProgressFiles.DIR).resolve(ATTEMPT);
  }

  @Test
  void writesAtMostOncePerIntervalAndOnlyWhenChanged() throws IOException {
    reporter.report(0.1f);
    assertEquals(Optional.of(0.1f), files.read(ATTEMPT), "the first report is written");
    clock.addAndGet(500);
    reporter.report(0.2f);
    assertEquals(Optional.of(0.1f), files.read(ATTEMPT), "within the interval: not written");
    clock.addAndGet(500);
    reporter.report(0.2f);
    assertEquals(Optional.of(0.2f), files.read(ATTEMPT), "an interval later: written");
    Files.delete(report());
    clock.addAndGet(5_000);
    reporter.report(0.2001f);
    assertFalse(Files.exists(report()), "unchanged to a thousandth: nothing written");
  }

  @Test
  void aFailedWriteIsNotThrownAndIsRetried() throws IOException {
    java.nio.file.Path dir = staging.resolve(ProgressFiles.DIR);
    Files.delete(dir);
    reporter.report(0.3f);
    assertFalse(Files.exists(dir), "the job's dir is not recreated");
    Files.createDirectory(dir);
    reporter.report(0.3f);
    assertEquals(Optional.of(0.3f), files.read(ATTEMPT));
  }
}
