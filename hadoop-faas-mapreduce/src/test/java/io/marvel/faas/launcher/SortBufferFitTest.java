package io.marvel.faas.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.junit.jupiter.api.Test;

class SortBufferFitTest {
  @Test
  void theLargestBufferIsTwoThirdsOfTheHeapLessWhatTheRuntimeKeeps() {
    // Heap 70% of memory; old generation two thirds of it; 16 MB in use.
    assertEquals(103, SortBufferFit.largestSortMb(256));
    assertEquals(222, SortBufferFit.largestSortMb(512));
    assertEquals(461, SortBufferFit.largestSortMb(1024));
  }

  @Test
  void aBufferTooLargeForTheActionIsRefusedNamingBothSettingsAndWhatWouldFit()
      throws IOException {
    JobConf job = sortingJob(250);
    SortBufferFit.check("job_1", sortingJob(222), 512);
    IOException e = assertThrows(IOException.class, () -> SortBufferFit.check("job_1", job, 512));
    assertEquals("job job_1 not submitted: its map output buffer, mapreduce.task.io.sort.mb ="
        + " 250 MB, does not fit in its task action's heap: a 512 MB action"
        + " (mapreduce.faas.action.memory-mb) holds a buffer of at most 222 MB; lower"
        + " mapreduce.task.io.sort.mb to 222 or less, or raise mapreduce.faas.action.memory-mb"
        + " to 576 or more", e.getMessage());
    assertTrue(SortBufferFit.largestSortMb(576) >= 250, "the memory suggested fits");
    assertTrue(SortBufferFit.largestSortMb(576 - 64) < 250, "in steps of 64 MB");
  }

  @Test
  void hadoopsDefaultBufferFitsTheSmallestUsefulAction() throws IOException {
    SortBufferFit.check("job_1", sortingJob(MRJobConfig.DEFAULT_IO_SORT_MB), 256);
  }

  @Test
  void jobsWithoutTheSortBufferAreNotChecked() throws IOException {
    JobConf mapOnly = sortingJob(1000);
    mapOnly.setNumReduceTasks(0);
    SortBufferFit.check("job_1", mapOnly, 256);
    JobConf ownCollector = sortingJob(1000);
    ownCollector.set(MRJobConfig.MAP_OUTPUT_COLLECTOR_CLASS_ATTR, "com.example.Collector");
    SortBufferFit.check("job_1", ownCollector, 256);
  }

  private static JobConf sortingJob(int sortMb) {
    JobConf job = new JobConf(false);
    job.setNumReduceTasks(1);
    job.setInt(MRJobConfig.IO_SORT_MB, sortMb);
    return job;
  }
}
