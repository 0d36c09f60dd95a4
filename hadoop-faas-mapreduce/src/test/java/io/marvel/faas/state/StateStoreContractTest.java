package io.marvel.faas.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link StateStore} shares; one subclass per implementation supplies the
 * store for a job.
 */
abstract class StateStoreContractTest {
  static final String JOB = "job_1700000000000_0042";
  Path scratch;
  StateStore store;

  /** @return a store for {@link #JOB}, not yet prepared */
  abstract StateStore newStore() throws IOException;

  /** Deletes the (now empty) store root the subclass created. */
  void removeRoot() throws IOException {
    Files.deleteIfExists(localRoot());
  }

  /** @return true if the job's state (directory) exists */
  boolean jobStateExists() {
    return Files.exists(localRoot().resolve(JOB));
  }

  /** @return a store for another job in the same root, not yet prepared */
  abstract StateStore otherJob(String jobId) throws IOException;

  /** @return the store root as a local path (both stores run on local directories here) */
  abstract Path localRoot();

  @BeforeEach
  void setUp() throws IOException {
    scratch = Files.createTempDirectory("state-contract-");
    store = newStore();
    store.prepare();
  }

  @AfterEach
  void tearDown() throws IOException {
    store.removeJob();
    store.close();
    try (var files = Files.walk(scratch)) {
      for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
    removeRoot();
  }

  /** Writes a map output of three partitions: "aaaa", "", "bbbbbbbb". */
  Path mapOutput(char a, char b) throws IOException {
    Path file = scratch.resolve("file.out-" + a);
    Files.writeString(file, ("" + a).repeat(4) + ("" + b).repeat(8));
    return file;
  }

  static final List<PartitionRange> RANGES = List.of(new PartitionRange(0, 40, 4),
      new PartitionRange(4, 0, 0), new PartitionRange(4, 80, 8));

  static byte[] read(MapOutputReader reader, int partition) throws IOException {
    byte[] bytes = new byte[(int) reader.range(partition).partLength()];
    FSDataInputStream in = reader.openPartition(partition);
    in.readFully(bytes);
    return bytes;
  }

  @Test
  void sweepRemovesOnlyOtherJobsUntouchedForTheTtl() throws IOException {
    String staleJob = "job_1700000000000_0001";
    String freshJob = "job_1700000000000_0002";
    StateStore stale = otherJob(staleJob);
    stale.prepare();
    stale.publishMapOutput(0, mapOutput('x', 'y'), RANGES);
    StateStore fresh = otherJob(freshJob);
    fresh.prepare();
    FileTime twoHoursAgo = FileTime.fromMillis(System.currentTimeMillis() - 7_200_000);
    Files.setLastModifiedTime(localRoot().resolve(staleJob), twoHoursAgo);
    Files.setLastModifiedTime(localRoot().resolve(JOB), twoHoursAgo);

    assertEquals(List.of(staleJob), store.sweepStale(3_600_000));
    assertFalse(Files.exists(localRoot().resolve(staleJob)));
    assertTrue(Files.exists(localRoot().resolve(freshJob)), "recent state stays");
    assertTrue(jobStateExists(), "the sweeping job's own state stays, however old");
    fresh.removeJob();
  }

  @Test
  void readsBackEachPartition() throws IOException {
    long stored = store.publishMapOutput(3, mapOutput('a', 'b'), RANGES);
    assertTrue(stored >= 12, "stored " + stored);
    try (MapOutputReader reader = store.openMapOutput(3)) {
      assertEquals(3, reader.partitions());
      assertEquals(RANGES.get(2), reader.range(2));
      assertArrayEquals("aaaa".getBytes(), read(reader, 0));
      assertArrayEquals(new byte[0], read(reader, 1));
      assertArrayEquals("bbbbbbbb".getBytes(), read(reader, 2));
    }
  }

  @Test
  void laterAttemptReplacesEarlierOutput() throws IOException {
    store.publishMapOutput(0, mapOutput('a', 'b'), RANGES);
    store.publishMapOutput(0, mapOutput('x', 'y'), RANGES);
    try (MapOutputReader reader = store.openMapOutput(0)) {
      assertArrayEquals("yyyyyyyy".getBytes(), read(reader, 2));
    }
  }

  @Test
  void missingMapOutputNamesMapAndJob() {
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> store.openMapOutput(7));
    assertTrue(e.getMessage().startsWith("map 7 of job " + JOB + " has no output"),
        e.getMessage());
  }

  @Test
  void unknownPartitionIsRejected() throws IOException {
    store.publishMapOutput(1, mapOutput('a', 'b'), RANGES);
    try (MapOutputReader reader = store.openMapOutput(1)) {
      assertEquals("partition 3 not in map output with 3 partitions",
          assertThrows(IllegalArgumentException.class, () -> reader.range(3)).getMessage());
    }
  }

  @Test
  void rangeBeyondDataIsRejectedBeforeWriting() throws IOException {
    Path data = mapOutput('a', 'b');
    List<PartitionRange> bad = List.of(new PartitionRange(8, 8, 8));
    assertThrows(IllegalArgumentException.class, () -> store.publishMapOutput(2, data, bad));
    assertThrows(FileNotFoundException.class, () -> store.openMapOutput(2));
  }

  @Test
  void removeJobDeletesEverythingAndLaterPublishFails() throws IOException {
    store.publishMapOutput(0, mapOutput('a', 'b'), RANGES);
    store.removeJob();
    assertTrue(!jobStateExists());
    store.removeJob();
    IOException e = assertThrows(FileNotFoundException.class,
        () -> store.publishMapOutput(0, mapOutput('a', 'b'), RANGES));
    assertTrue(e.getMessage().contains("the job has ended"), e.getMessage());
    assertTrue(!jobStateExists(), "a late publish does not recreate the job's state");
  }
}
