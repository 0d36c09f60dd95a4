package io.marvel.faas.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttemptWorkingDirTest {
  @TempDir
  Path dir;
  Path work;
  Path jobA;
  Path jobB;
  AttemptWorkingDir links;

  @BeforeEach
  void createJobs() throws IOException {
    work = Files.createDirectories(dir.resolve("work"));
    jobA = Files.writeString(Files.createDirectories(dir.resolve("a")).resolve("0-part"), "A");
    jobB = Files.writeString(Files.createDirectories(dir.resolve("b")).resolve("0-part"), "B");
    links = new AttemptWorkingDir(work, () -> false);
  }

  private String[] workEntries() throws IOException {
    try (Stream<Path> entries = Files.list(work)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  void eachAttemptSeesItsOwnJobsFilesUnderOneNameAndNothingAfterwards() throws Exception {
    try (AttemptWorkingDir.Lease a = links.acquire("job_a", Map.of("_partition.lst", jobA))) {
      assertEquals("A", Files.readString(work.resolve("_partition.lst")));
    }
    assertArrayEquals(new String[0], workEntries(), "an ended attempt leaves no links");
    try (AttemptWorkingDir.Lease b = links.acquire("job_b", Map.of("_partition.lst", jobB))) {
      assertEquals("B", Files.readString(work.resolve("_partition.lst")));
    }
    try (AttemptWorkingDir.Lease a = links.acquire("job_a", Map.of("_partition.lst", jobA))) {
      assertEquals("A", Files.readString(work.resolve("_partition.lst")),
          "a later attempt of the first job reads its own file again");
    }
    assertArrayEquals(new String[0], workEntries());
  }

  @Test
  void attemptsOfOneJobShareItsLinksUntilTheLastEnds() throws Exception {
    AttemptWorkingDir.Lease first = links.acquire("job_a", Map.of("_partition.lst", jobA));
    try (AttemptWorkingDir.Lease second = links.acquire("job_a",
        Map.of("_partition.lst", jobA))) {
      first.close();
      assertEquals("A", Files.readString(work.resolve("_partition.lst")));
    }
    assertArrayEquals(new String[0], workEntries());
  }

  @Test
  void anotherJobsAttemptWaitsForANameInUseThenSeesItsOwnFile() throws Exception {
    AttemptWorkingDir.Lease a = links.acquire("job_a", Map.of("_partition.lst", jobA));
    CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> {
      try (AttemptWorkingDir.Lease lease = links.acquire("job_b",
          Map.of("_partition.lst", jobB))) {
        return Files.readString(work.resolve("_partition.lst"));
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
    while (System.nanoTime() < deadline) {
      assertFalse(b.isDone(), "job_b's attempt took the name while job_a's attempt ran");
      assertEquals("A", Files.readString(work.resolve("_partition.lst")));
      Thread.sleep(20);
    }
    a.close();
    assertEquals("B", b.get(10, TimeUnit.SECONDS));
    assertArrayEquals(new String[0], workEntries());
  }

  @Test
  void aLinkNobodyHoldsIsReplacedButARealFileStays() throws Exception {
    Files.createSymbolicLink(work.resolve("stale"), jobB);
    Files.writeString(work.resolve("taken"), "user data");

    try (AttemptWorkingDir.Lease a = links.acquire("job_a", Map.of("stale", jobA))) {
      assertEquals("A", Files.readString(work.resolve("stale")));
    }
    Map<String, Path> both = new LinkedHashMap<>();
    both.put("first", jobA);
    both.put("taken", jobA);
    IOException e = assertThrows(IOException.class, () -> links.acquire("job_a", both));

    assertEquals("cannot link cache entry " + jobA + " of job job_a as "
        + work.resolve("taken") + ": a file of that name exists in the working directory;"
        + " give the cache entry another name with a #fragment", e.getMessage());
    assertEquals("user data", Files.readString(work.resolve("taken")));
    assertArrayEquals(new String[] {"taken"}, workEntries(),
        "the link made before the failure is removed");
  }

  @Test
  void aSharedDirectoryKeepsWhatAnAttemptWrote() throws Exception {
    try (AttemptWorkingDir.Lease a = links.acquire("job_a", Map.of("out", jobA))) {
      Files.delete(work.resolve("out"));
      Files.writeString(work.resolve("out"), "written by the task");
      Files.writeString(work.resolve("side.txt"), "written by the task");
    }
    assertArrayEquals(new String[] {"out", "side.txt"}, workEntries());
  }

  @Test
  void anOwnedDirectoryLosesWhatTheAttemptLeftOnceNoAttemptRuns() throws Exception {
    Files.writeString(work.resolve("classpath.args"), "the container's own");
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "not the task's");
    AttemptWorkingDir owned = new AttemptWorkingDir(work, () -> true);
    AttemptWorkingDir.Lease first = owned.acquire("job_a", Map.of("_partition.lst", jobA));
    try (AttemptWorkingDir.Lease second = owned.acquire("job_a",
        Map.of("_partition.lst", jobA))) {
      Files.writeString(work.resolve("notes.txt"), "left by the task");
      Files.createDirectories(work.resolve("tmpdir/sub"));
      Files.createSymbolicLink(work.resolve("tmpdir/sub/out"), outside);
      Files.createSymbolicLink(work.resolve("to-outside"), outside);
      first.close();
      assertTrue(Files.exists(work.resolve("notes.txt")), "an attempt still runs");
    }

    assertArrayEquals(new String[] {"classpath.args"}, workEntries());
    assertEquals("not the task's", Files.readString(outside.resolve("keep.txt")),
        "links are removed, not followed");
    try (AttemptWorkingDir.Lease again = owned.acquire("job_b", Map.of("notes.txt", jobB))) {
      assertEquals("B", Files.readString(work.resolve("notes.txt")),
          "a later job links the name an earlier attempt wrote a file under");
    }
  }
}
