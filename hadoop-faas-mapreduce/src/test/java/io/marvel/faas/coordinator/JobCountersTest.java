package io.marvel.faas.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.marvel.faas.protocol.TaskKind;
import io.marvel.faas.registry.PublishedJobs;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.JobCounter;
import org.junit.jupiter.api.Test;

/** The JobCounter group counted from a job's attempts as YARN's application master counts it. */
class JobCountersTest {

  private static AttemptRecord ended(TaskKind kind, int index, int attempt, long runMs,
      AttemptState state) {
    String id = "attempt_faas1_0001_" + (kind == TaskKind.MAP ? "m" : "r") + "_00000" + index
        + "_" + attempt;
    return new AttemptRecord(kind, index, id, "act", "c", "h", false, false, 1_000, 1_010,
        1_000 + runMs + 50, runMs, state, "", Map.of(), "");
  }

  @Test
  void countsLaunchedFailedKilledAndResourceMillisOfEveryAttempt() {
    List<AttemptRecord> ended = List.of(
        ended(TaskKind.MAP, 0, 0, 100, AttemptState.FAILED),
        ended(TaskKind.MAP, 0, 1, 200, AttemptState.SUCCEEDED),
        ended(TaskKind.MAP, 1, 0, 30, AttemptState.KILLED),
        ended(TaskKind.REDUCE, 0, 0, 400, AttemptState.SUCCEEDED));
    LiveAttempt running = new LiveAttempt(TaskKind.MAP, 1, "attempt_faas1_0001_m_000001_1", 5);
    Counters counters = new Counters();
    new JobCounters(512, 2).addTo(counters, ended, List.of(running));

    assertEquals(4, value(counters, JobCounter.TOTAL_LAUNCHED_MAPS), "3 ended + 1 running");
    assertEquals(1, value(counters, JobCounter.NUM_FAILED_MAPS));
    assertEquals(1, value(counters, JobCounter.NUM_KILLED_MAPS));
    assertEquals(330, value(counters, JobCounter.MILLIS_MAPS), "only ended attempts count");
    assertEquals(330 * 512, value(counters, JobCounter.MB_MILLIS_MAPS));
    assertEquals(330 * 2, value(counters, JobCounter.VCORES_MILLIS_MAPS));
    assertEquals(1, value(counters, JobCounter.TOTAL_LAUNCHED_REDUCES));
    assertEquals(0, value(counters, JobCounter.NUM_FAILED_REDUCES));
    assertEquals(400, value(counters, JobCounter.MILLIS_REDUCES));
    assertEquals(400 * 512, value(counters, JobCounter.MB_MILLIS_REDUCES));
    assertEquals(400 * 2, value(counters, JobCounter.VCORES_MILLIS_REDUCES));
  }

  @Test
  void jobProgressCountersHoldTheJobCounterGroupBesideTaskCounters() {
    JobProgress progress = PublishedJobs.progress();
    Counters counters = progress.counters();
    assertEquals(2, value(counters, JobCounter.TOTAL_LAUNCHED_MAPS), "1 done + 1 running");
    assertEquals(9, value(counters, JobCounter.MILLIS_MAPS));
    assertEquals(9 * 512, value(counters, JobCounter.MB_MILLIS_MAPS));
    assertEquals(4, counters.findCounter(PublishedJobs.TASK_GROUP, "MAP_INPUT_RECORDS")
        .getValue());
  }

  private static long value(Counters counters, JobCounter counter) {
    return counters.findCounter(counter).getValue();
  }
}
