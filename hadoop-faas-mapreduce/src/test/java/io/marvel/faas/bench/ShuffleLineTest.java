package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShuffleLineTest {
  @TempDir
  Path dir;

  private static String attempt(String id, boolean succeeded, long local, long remote) {
    return "{\"attemptId\":\"" + id + "\",\"succeeded\":" + succeeded
        + (id.contains("_r_") ? ",\"localShuffleBytes\":" + local + ",\"remoteShuffleBytes\":"
        + remote : "") + "}";
  }

  @Test
  void sumsTheSucceededReducesOfASummaryAndCountsTheTasksThatRan() throws IOException {
    Path summary = Files.writeString(dir.resolve("job_1_0002.json"), "{\"attempts\":["
        + attempt("attempt_1_0002_m_000000_0", true, 0, 0) + ","
        + attempt("attempt_1_0002_m_000001_0", false, 0, 0) + ","
        + attempt("attempt_1_0002_m_000001_1", true, 0, 0) + ","
        + attempt("attempt_1_0002_r_000000_0", false, 5, 5) + ","
        + attempt("attempt_1_0002_r_000000_1", true, 100, 200) + ","
        + attempt("attempt_1_0002_r_000001_0", true, 10, 20) + "]}", StandardCharsets.UTF_8);
    assertEquals(new ShuffleLine(2, "hosts-pmem", "terasort", 2, 2, 110, 220),
        ShuffleLine.of(2, "hosts-pmem", "terasort", summary));
  }

  @Test
  void theNewestSummaryOfADirIsTheJobs() throws IOException {
    Path older = Files.writeString(dir.resolve("job_1_0001.json"), "{\"attempts\":["
        + attempt("attempt_1_0001_r_000000_0", true, 1, 1) + "]}", StandardCharsets.UTF_8);
    Path newer = Files.writeString(dir.resolve("job_1_0002.json"), "{\"attempts\":["
        + attempt("attempt_1_0002_r_000000_0", true, 7, 3) + "]}", StandardCharsets.UTF_8);
    older.toFile().setLastModified(1_000_000);
    newer.toFile().setLastModified(2_000_000);
    Files.writeString(dir.resolve("job_1_0002-timeline.html"), "", StandardCharsets.UTF_8);
    assertEquals(7, ShuffleLine.ofNewest(1, "faas-pmem", "wordcount", dir).orElseThrow()
        .localBytes());
  }

  @Test
  void readsBackTheLineItWrites() {
    ShuffleLine line = new ShuffleLine(3, "faas-hdfs", "wordcount", 4, 3, 2148536, 0);
    assertEquals("SHUFFLE round=3 mode=faas-hdfs job=wordcount maps=4 reduces=3 local=2148536"
        + " remote=0", line.toLine());
    assertEquals(line, ShuffleLine.parse(line.toLine()));
    assertEquals("not a SHUFFLE line: SHUFFLE round=1 mode=x",
        assertThrows(IllegalArgumentException.class,
            () -> ShuffleLine.parse("SHUFFLE round=1 mode=x")).getMessage());
  }
}
