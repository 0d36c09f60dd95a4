package io.marvel.faas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.mapreduce.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryRetentionTest {
  private static final long DAY = TimeUnit.DAYS.toMillis(1);
  private static final long NOW = 1_800_000_000_000L;

  @TempDir
  Path dir;

  /** Writes one of a job's files, last changed {@code daysAgo} days before NOW. */
  private Path file(String name, int daysAgo) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, name);
    Files.setLastModifiedTime(file, FileTime.fromMillis(NOW - daysAgo * DAY));
    return file;
  }

  /** Gives a dir its age, after its entries were written (which touch it). */
  private Path aged(String name, int daysAgo) throws Exception {
    Path entry = dir.resolve(name);
    Files.setLastModifiedTime(entry, FileTime.fromMillis(NOW - daysAgo * DAY));
    return entry;
  }

  @Test
  void removesEveryFileOfJobsOlderThanTheMaxAgeAndNothingElse() throws Exception {
    String old = "job_faas1700000000_0001";
    List<Path> oldFiles = List.of(file(old + ".json", 9), file(old + "-timeline.html", 9),
        file(old + ".status", 9), file(old + "_conf.xml", 9), file(old + ".kill", 9),
        file("." + old + ".status123.tmp", 9),
        file(old + ".logs/attempt_faas1700000000_0001_m_000000_0.log", 9),
        file(old + ".tasks/attempt_faas1700000000_0001_m_000000_0.task-end", 9));
    aged(old + ".logs", 9);
    aged(old + ".tasks", 9);
    String recent = "job_faas1700000000_0002";
    Path recentSummary = file(recent + ".json", 2);
    // A job whose summary is old but whose status was rewritten just now is still running.
    String running = "job_faas1700000000_0003";
    Path runningConf = file(running + "_conf.xml", 30);
    file(running + ".status", 0);
    Path unrelated = file("notes.txt", 100);
    String justEnded = "job_faas1700000000_0004";
    Path justEndedSummary = file(justEnded + ".json", 8);

    List<String> removed = new SummaryRetention(new JobRegistry(dir), 7 * DAY)
        .removeOld(NOW, justEnded);

    assertEquals(List.of(old), removed);
    for (Path gone : oldFiles) {
      assertFalse(Files.exists(gone), gone + " is left");
    }
    assertFalse(Files.exists(dir.resolve(old + ".logs")));
    assertFalse(Files.exists(dir.resolve(old + ".tasks")));
    assertTrue(Files.exists(recentSummary));
    assertTrue(Files.exists(runningConf), "a running job's files stay, however old some are");
    assertTrue(Files.exists(unrelated), "files of no job are not the summary dir's to remove");
    assertTrue(Files.exists(justEndedSummary), "the job that cleans keeps its own files");
  }

  @Test
  void recognizesTheJobIdsOfEveryFramework() throws Exception {
    List<Path> files = List.of(file("job_local123456_0001.json", 9),
        file("job_1700000000000_0012_conf.xml", 9), file("job_faas67153037_0002-timeline.html", 9),
        file("job_faas1_10000.logs/attempt_faas1_10000_r_000000_0.log", 9));
    aged("job_faas1_10000.logs", 9);
    Path attemptFile = file("attempt_faas1_10000_m_000000_0.log", 9);

    assertEquals(4, new SummaryRetention(new JobRegistry(dir), 7 * DAY).removeOld(NOW, "")
        .size());

    for (Path gone : files) {
      assertFalse(Files.exists(gone), gone + " is left");
    }
    assertTrue(Files.exists(attemptFile), "only entries named after a job are a job's");
  }

  @Test
  void aStalledJobWhoseProcessLivesIsKeptAndOneWhoseProcessDiedIsNot() throws Exception {
    JobRegistry registry = new JobRegistry(dir);
    String id = PublishedJobs.JOB.toString();
    registry.publish(PublishedJobs.snapshot(JobStatus.State.RUNNING, NOW - 30 * DAY,
        Coordinator.current()));
    aged(id + ".status", 30);

    assertEquals(List.of(), new SummaryRetention(registry, 7 * DAY).removeOld(NOW, ""),
        "this process still runs the job, however long ago it last published");

    registry.publish(PublishedJobs.snapshot(JobStatus.State.RUNNING, NOW - 30 * DAY,
        new Coordinator(Integer.MAX_VALUE, 1)));
    aged(id + ".status", 30);
    assertEquals(List.of(id), new SummaryRetention(registry, 7 * DAY).removeOld(NOW, ""));
  }

  @Test
  void zeroMaxAgeKeepsEverything() throws Exception {
    Path summary = file("job_faas1700000000_0001.json", 1000);
    assertEquals(List.of(), new SummaryRetention(new JobRegistry(dir), 0).removeOld(NOW, ""));
    assertTrue(Files.exists(summary));
  }

  @Test
  void missingDirIsNothingToRemove() throws Exception {
    assertEquals(List.of(), new SummaryRetention(new JobRegistry(dir.resolve("none")), DAY)
        .removeOld(NOW, ""));
  }
}
