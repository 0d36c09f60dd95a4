package io.marvel.faas.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress channel on the local file system (HDFS: FaasProgressIntegrationTest). */
class ProgressFilesTest {
  private static final String ATTEMPT = "attempt_faas1_0001_m_000000_0";

  @TempDir
  java.nio.file.Path staging;
  private ProgressFiles files;

  @BeforeEach
  void prepare() throws IOException {
    files = new ProgressFiles(FileSystem.getLocal(new Configuration()),
        new Path(staging.toUri()));
    files.prepare();
  }

  @Test
  void writeReplacesTheReportAndListNamesOnlyReports() throws IOException {
    assertEquals(Optional.empty(), files.read(ATTEMPT));
    files.write(ATTEMPT, 0.25f);
    files.write(ATTEMPT, 0.5f);
    assertEquals(Optional.of(0.5f), files.read(ATTEMPT));
    Files.writeString(staging.resolve(ProgressFiles.DIR).resolve("other.tmp"), "{");
    Map<String, Long> listed = files.list();
    assertEquals(java.util.Set.of(ATTEMPT), listed.keySet());
    assertTrue(listed.get(ATTEMPT) > 0);
  }

  @Test
  void writeAfterTheJobEndedFailsAndCreatesNothing() throws IOException {
    Files.delete(staging.resolve(ProgressFiles.DIR));
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> files.write(ATTEMPT, 0.1f));
    assertTrue(e.getMessage().contains("the job has ended"), e.getMessage());
    assertFalse(Files.exists(staging.resolve(ProgressFiles.DIR)));
    assertEquals(Map.of(), files.list(), "a gone dir lists nothing");
  }

  @Test
  void readSkipsWhatIsNotAReport() throws IOException {
    java.nio.file.Path file = staging.resolve(ProgressFiles.DIR).resolve(ATTEMPT);
    for (String text : new String[] {"", "{", "[1]", "{\"progress\":\"x\"}", "{\"other\":1}",
        "{\"progress\":NaN}"}) {
      Files.writeString(file, text);
      assertEquals(Optional.empty(), files.read(ATTEMPT), text);
    }
    Files.writeString(file, "{\"progress\":7}");
    assertEquals(Optional.of(1f), files.read(ATTEMPT), "clamped to 0..1");
  }
}
