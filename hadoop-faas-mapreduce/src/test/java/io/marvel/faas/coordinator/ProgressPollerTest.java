package io.marvel.faas.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.marvel.faas.protocol.ProgressFiles;
import io.marvel.faas.protocol.TaskKind;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.TaskReport;
import org.apache.hadoop.mapreduce.TaskType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running tasks' reported progress in the job's status and task reports, as YARN shows it. */
class ProgressPollerTest {
  private static final JobID JOB = new JobID("faas1", 1);
  private static final String MAP0 = "attempt_faas1_0001_m_000000_0";
  private static final String MAP1 = "attempt_faas1_0001_m_000001_0";
  private static final String MAP2 = "attempt_faas1_0001_m_000002_0";

  @TempDir
  java.nio.file.Path staging;
  private ProgressFiles files;
  private JobProgress progress;
  private ProgressPoller poller;

  @BeforeEach
  void prepare() throws IOException {
    files = new ProgressFiles(FileSystem.getLocal(new Configuration()),
        new Path(staging.toUri()));
    files.prepare();
    progress = new JobProgress(JOB, "u", "n", "job.xml", 4, 1, new JobCounters(512, 1));
    poller = new ProgressPoller(files, progress);
  }

  @Test
  void mapProgressIsTheAverageOfTaskProgress() throws IOException {
    progress.launched(TaskKind.MAP, 0, MAP0);
    progress.add(new AttemptRecord(TaskKind.MAP, 0, MAP0, "a", "c", "h", false, false, 1, 1, 2, 1,
        AttemptState.SUCCEEDED, "", Map.of(), ""));
    progress.launched(TaskKind.MAP, 1, MAP1);
    progress.launched(TaskKind.MAP, 2, MAP2);
    files.write(MAP1, 0.5f);
    files.write(MAP2, 0.25f);
    assertEquals(0.25f, status().getMapProgress(), "nothing polled yet: 1 of 4 maps done");
    poller.poll();
    assertEquals((1 + 0.5f + 0.25f) / 4, status().getMapProgress(), 1e-6);
    assertEquals(0f, status().getReduceProgress());
    TaskReport[] maps = progress.reports(TaskType.MAP);
    assertEquals(1f, maps[0].getProgress());
    assertEquals(0.5f, maps[1].getProgress());
    assertEquals(0.25f, maps[2].getProgress());
    assertEquals(0f, maps[3].getProgress(), "pending");
  }

  @Test
  void aFailedAttemptsProgressIsDroppedAndAnEndedAttemptIsNotRead() throws IOException {
    progress.launched(TaskKind.MAP, 1, MAP1);
    files.write(MAP1, 0.8f);
    poller.poll();
    assertEquals(0.2f, status().getMapProgress(), 1e-6);
    progress.add(new AttemptRecord(TaskKind.MAP, 1, MAP1, "a", "c", "h", false, false, 1, 1, 2, 1,
        AttemptState.FAILED, "boom", Map.of(), ""));
    poller.poll();
    assertEquals(0f, status().getMapProgress(), "as YARN, failed attempts show no progress");
  }

  private JobStatus status() {
    return progress.status("file:/t");
  }
}
