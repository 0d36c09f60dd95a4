package io.marvel.faas.coordinator;

import io.marvel.faas.protocol.TaskKind;
import java.util.Collection;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.JobCounter;

/**
 * Hadoop's {@link JobCounter} group of a faas job, counted as YARN's application master counts
 * it, with an activation in the place of a container: every attempt handed to the platform is
 * launched; an attempt that failed or was killed (by the user, or with its job) counts as such;
 * every ended attempt adds its run time ({@link AttemptRecord#runMs}) to {@code MILLIS_*}, and
 * run time times the action's memory and vcores to {@code MB_MILLIS_*} and
 * {@code VCORES_MILLIS_*}. Locality is not counted: an activation reads its split through HDFS
 * from wherever the platform placed it, which the coordinator does not know.
 *
 * @param memoryMb memory of one activation, MiB ({@code mapreduce.faas.action.memory-mb})
 * @param vcores vcores one activation counts as ({@code mapreduce.faas.action.vcores})
 */
public record JobCounters(int memoryMb, int vcores) {

  /**
   * Adds the job counters of these attempts to {@code counters}.
   *
   * @param counters where to add them
   * @param ended attempts that ended
   * @param running attempts launched and not ended
   */
  void addTo(Counters counters, Collection<AttemptRecord> ended,
      Collection<LiveAttempt> running) {
    for (LiveAttempt attempt : running) {
      increment(counters, attempt.kind() == TaskKind.MAP ? JobCounter.TOTAL_LAUNCHED_MAPS
          : JobCounter.TOTAL_LAUNCHED_REDUCES, 1);
    }
    for (AttemptRecord attempt : ended) {
      boolean map = attempt.kind() == TaskKind.MAP;
      increment(counters, map ? JobCounter.TOTAL_LAUNCHED_MAPS
          : JobCounter.TOTAL_LAUNCHED_REDUCES, 1);
      switch (attempt.state()) {
        case FAILED -> increment(counters, map ? JobCounter.NUM_FAILED_MAPS
            : JobCounter.NUM_FAILED_REDUCES, 1);
        case KILLED -> increment(counters, map ? JobCounter.NUM_KILLED_MAPS
            : JobCounter.NUM_KILLED_REDUCES, 1);
        case SUCCEEDED -> {
          // Counted as launched only, as YARN counts a successful attempt.
        }
      }
      long ms = attempt.runMs();
      increment(counters, map ? JobCounter.MILLIS_MAPS : JobCounter.MILLIS_REDUCES, ms);
      increment(counters, map ? JobCounter.MB_MILLIS_MAPS : JobCounter.MB_MILLIS_REDUCES,
          ms * memoryMb);
      increment(counters, map ? JobCounter.VCORES_MILLIS_MAPS
          : JobCounter.VCORES_MILLIS_REDUCES, ms * vcores);
    }
  }

  private static void increment(Counters counters, JobCounter counter, long by) {
    counters.findCounter(counter).increment(by);
  }
}
