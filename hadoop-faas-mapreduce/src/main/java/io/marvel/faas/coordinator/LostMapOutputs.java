package io.marvel.faas.coordinator;

import io.marvel.faas.protocol.TaskKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs maps again whose stored outputs are lost, as Hadoop re-runs the maps of a lost node after
 * fetch failures. A map's output is lost when no host holds a copy any more: with replication 1
 * the host that ran the map is gone, so every map that succeeded on that host before the reduce
 * started has lost its output too, and all of them run again at once (one round, instead of one
 * per reduce failure). Their successful attempts count as failed from then on. One recovery runs
 * at a time; a reduce whose lost map was made again since it launched is only retried.
 */
final class LostMapOutputs implements StageRunner.LostOutputs {
  private static final Logger LOG = LoggerFactory.getLogger(LostMapOutputs.class);

  private final JobProgress progress;
  private final int maps;
  private final int maxAttempts;
  private final StageRunner.ArgumentsFactory arguments;
  private StageRunner stages;

  /**
   * @param progress the job's attempts
   * @param maps the job's map count
   * @param maxAttempts attempts per map
   * @param arguments the arguments of each map attempt
   */
  LostMapOutputs(JobProgress progress, int maps, int maxAttempts,
      StageRunner.ArgumentsFactory arguments) {
    this.progress = progress;
    this.maps = maps;
    this.maxAttempts = maxAttempts;
    this.arguments = arguments;
  }

  /** @param runner runs the maps again; set once before the reduce stage */
  synchronized void runWith(StageRunner runner) {
    this.stages = runner;
  }

  @Override
  public synchronized String remake(int map, long reduceLaunchMs) throws InterruptedException {
    Optional<AttemptRecord> done = progress.successful(TaskKind.MAP, map);
    if (done.isPresent() && done.get().endMs() > reduceLaunchMs) {
      return "";
    }
    List<Integer> again = lostWith(map, done.map(AttemptRecord::host).orElse(""),
        reduceLaunchMs);
    String host = done.map(AttemptRecord::host).orElse("an unknown host");
    LOG.warn("The stored output of map {} is lost (no host holds a copy); running again the {}"
        + " maps that ran on {}: {}", map, again.size(), host, again);
    for (int index : again) {
      progress.successful(TaskKind.MAP, index).ifPresent(a -> progress.outputLost(
          a.attemptId(), "its stored output is lost: no host holds a copy (it ran on " + host
          + "); the map ran again"));
    }
    return stages.run(TaskKind.MAP, again, maxAttempts, arguments);
  }

  /** @return the lost map and every other map that succeeded on its host before the reduce */
  private List<Integer> lostWith(int map, String host, long reduceLaunchMs) {
    List<Integer> lost = new ArrayList<>();
    for (int index = 0; index < maps; index++) {
      Optional<AttemptRecord> done = progress.successful(TaskKind.MAP, index);
      boolean sameHost = !host.isEmpty() && done.isPresent() && host.equals(done.get().host())
          && done.get().endMs() <= reduceLaunchMs;
      if (index == map || sameHost) {
        lost.add(index);
      }
    }
    return lost;
  }
}
