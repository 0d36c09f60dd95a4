package io.marvel.faas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapred.TIPStatus;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;
import org.apache.hadoop.mapreduce.TaskCounter;
import org.apache.hadoop.mapreduce.TaskReport;
import org.apache.hadoop.mapreduce.TaskType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRegistryTest {
  private static final JobID JOB = PublishedJobs.JOB;

  @TempDir
  Path dir;

  @Test
  void publishedSnapshotReadsBackWithStatusCountersAndTaskDetails() throws IOException {
    JobRegistry registry = new JobRegistry(dir);
    registry.publish(PublishedJobs.snapshot(JobStatus.State.RUNNING, 1234, Coordinator.current()));

    JobSnapshot read = registry.read(JOB.toString()).orElseThrow();
    JobStatus status = read.status();
    assertEquals(JOB.toString(), status.getJobID().toString());
    assertEquals("word count", status.getJobName());
    assertEquals("alice", status.getUsername());
    assertEquals(JobStatus.State.RUNNING, status.getState());
    assertEquals(0.5f, status.getMapProgress());
    assertEquals("file:/tmp/conf.xml", status.getJobFile());
    assertEquals("file:/tmp/timeline.html", status.getTrackingUrl());
    assertEquals(Coordinator.current(), read.coordinator());
    assertEquals(1234, read.heartbeatMs());
    assertEquals(4, read.hadoopCounters().findCounter(TaskCounter.MAP_INPUT_RECORDS).getValue());

    TaskReport[] maps = read.tasks().reports(TaskType.MAP);
    assertEquals(2, maps.length);
    assertEquals(TIPStatus.COMPLETE, maps[0].getCurrentStatus());
    assertEquals("attempt_faas42_0007_m_000000_0", maps[0].getSuccessfulTaskAttemptId()
        .toString());
    assertEquals(4, maps[0].getTaskCounters().findCounter(TaskCounter.MAP_INPUT_RECORDS)
        .getValue());
    assertEquals(TIPStatus.RUNNING, maps[1].getCurrentStatus());
    assertEquals("[attempt_faas42_0007_m_000001_0]",
        maps[1].getRunningTaskAttemptIds().toString());
    assertEquals(1, read.tasks().reports(TaskType.REDUCE).length);
    TaskCompletionEvent[] events = read.tasks().events(0, 10);
    assertEquals(1, events.length);
    assertEquals(TaskCompletionEvent.Status.SUCCEEDED, events[0].getStatus());
    assertEquals(0, read.tasks().events(1, 10).length);
  }

  @Test
  void jobWithoutTaskDetailsReadsBackWithout() throws IOException {
    JobRegistry registry = new JobRegistry(dir);
    registry.publish(PublishedJobs.withoutTaskDetails(1));
    assertNull(registry.read(JOB.toString()).orElseThrow().tasks());
  }

  @Test
  void statusFileIsOwnerOnlyAndNoTemporaryFileStays() throws IOException {
    JobRegistry registry = new JobRegistry(dir.resolve("created"));
    registry.publish(PublishedJobs.snapshot(JobStatus.State.RUNNING, 1, Coordinator.current()));
    registry.publish(PublishedJobs.snapshot(JobStatus.State.RUNNING, 2, Coordinator.current()));
    try (Stream<Path> files = Files.list(registry.dir())) {
      assertEquals(List.of(JOB + ".status"),
          files.map(p -> p.getFileName().toString()).toList());
    }
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(registry.statusFile(JOB.toString()))));
    assertEquals(2, registry.read(JOB.toString()).orElseThrow().heartbeatMs());
  }

  @Test
  void readersNeverSeeAPartialSnapshotWhileItIsReplaced() throws Exception {
    JobRegistry registry = new JobRegistry(dir);
    registry.publish(PublishedJobs.snapshot(JobStatus.State.RUNNING, 0, Coordinator.current()));
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try {
        while (writing.get()) {
          registry.read(JOB.toString()).orElseThrow();
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    reader.start();
    for (int i = 1; i <= 300; i++) {
      registry.publish(PublishedJobs.snapshot(JobStatus.State.RUNNING, i, Coordinator.current()));
    }
    writing.set(false);
    reader.join();
    assertNull(failure.get(), () -> "a reader saw a broken file: " + failure.get());
    assertEquals(300, registry.read(JOB.toString()).orElseThrow().heartbeatMs());
  }

  @Test
  void unknownJobIsEmptyAndEmptyDirListsNothing() throws IOException {
    JobRegistry registry = new JobRegistry(dir.resolve("none"));
    assertTrue(registry.read(JOB.toString()).isEmpty());
    assertEquals(List.of(), registry.list());
  }

  @Test
  void unreadableStatusIsNamedOnReadAndLeftOutOfTheList() throws IOException {
    JobRegistry registry = new JobRegistry(dir);
    registry.publish(PublishedJobs.snapshot(JobStatus.State.RUNNING, 1, Coordinator.current()));
    Files.writeString(dir.resolve("job_faas1_0001.status"), "{\"version\": 1}");
    IOException e = assertThrows(IOException.class, () -> registry.read("job_faas1_0001"));
    assertTrue(e.getMessage().contains(dir.resolve("job_faas1_0001.status").toString())
        && e.getMessage().contains("'jobId' is missing"), e.getMessage());
    assertEquals(List.of(JOB.toString()),
        registry.list().stream().map(JobSnapshot::jobId).toList());
  }

  @Test
  void laterFormatVersionIsRefusedByName() {
    IOException e = assertThrows(IOException.class,
        () -> SnapshotJson.read("{\"version\": 2, \"jobId\": \"x\"}"));
    assertEquals("status format version 2, this client reads 1", e.getMessage());
  }

  @Test
  void killRequestIsTakenExactlyOnce() throws IOException {
    JobRegistry registry = new JobRegistry(dir);
    assertFalse(registry.takeKillRequest(JOB.toString()));
    assertTrue(registry.requestKill(JOB.toString()));
    assertFalse(registry.requestKill(JOB.toString()), "one request is waiting already");
    assertTrue(registry.takeKillRequest(JOB.toString()));
    assertFalse(registry.takeKillRequest(JOB.toString()));
    assertFalse(Files.exists(registry.killFile(JOB.toString())));
  }

  @Test
  void jobConfIsWrittenOwnerOnly() throws IOException {
    JobRegistry registry = new JobRegistry(dir);
    Configuration conf = new Configuration(false);
    conf.set("some.key", "some value");
    Path file = registry.writeJobConf(JOB.toString(), conf);
    assertEquals(dir.resolve(JOB + "_conf.xml"), file);
    assertTrue(Files.readString(file).contains("some value"));
    assertEquals("rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }
}
