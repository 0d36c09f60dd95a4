package io.marvel.faas.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.marvel.faas.launcher.ActivationOutcome;
import io.marvel.faas.launcher.TaskLauncher;
import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.TaskKind;
import io.marvel.faas.protocol.TaskResult;
import io.marvel.faas.registry.JobRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which maps run again when a reduce finds a map output lost, with a scripted launcher. */
class LostMapOutputsTest {
  private static final JobID JOB = new JobID("1700000000000", 8);
  private final ExecutorService activations = Executors.newCachedThreadPool();
  private final JobProgress progress = new JobProgress(JOB, "user", "test", "job.xml", 4, 1,
      new JobCounters(512, 1));
  private final List<String> launched = new CopyOnWriteArrayList<>();
  @TempDir
  Path summaryDir;

  @AfterEach
  void stopActivations() {
    activations.shutdownNow();
  }

  private static TaskArguments mapArguments(int index, int attempt) {
    return new TaskArguments(JOB.toString(), String.format("attempt_1700000000000_0008_m_%06d_%d",
        index, attempt), TaskKind.MAP, index, "user", "/staging", "/staging/job.split", 0, 4, 1,
        new StoreLocation(StoreKind.HDFS, "/state"));
  }

  /** Every attempt succeeds on host h9. */
  private final TaskLauncher launcher = new TaskLauncher() {
    @Override
    public void prepare() {
    }

    @Override
    public ActivationOutcome launch(TaskArguments args) {
      launched.add(args.attemptId());
      return new ActivationOutcome.Completed("act", new TaskResult(args.attemptId(), true, "",
          Map.of(), "c", true, false, 1, 2, "h9", -1, false));
    }

    @Override
    public List<String> activationLogs(String activationId) {
      return List.of();
    }

    @Override
    public void jobEnded(String jobId) {
    }

    @Override
    public void close() {
    }
  };

  private void mapSucceededOn(int index, String host) {
    progress.add(new AttemptRecord(TaskKind.MAP, index, mapArguments(index, 0).attemptId(), "a",
        "c", host, false, false, 1, 1, 2, 1, AttemptState.SUCCEEDED, "", Map.of(), ""));
  }

  private LostMapOutputs recovery() {
    LostMapOutputs lost = new LostMapOutputs(progress, 4, 2, LostMapOutputsTest::mapArguments);
    lost.runWith(new StageRunner(launcher, 2, progress, activations,
        new TaskLogs(new JobRegistry(summaryDir), JOB.toString(), launcher), lost));
    return lost;
  }

  @Test
  void theLostMapAndTheOthersOfItsHostRunAgainOnce() throws Exception {
    mapSucceededOn(0, "h1");
    mapSucceededOn(1, "h2");
    mapSucceededOn(2, "h1");
    mapSucceededOn(3, "h3");
    LostMapOutputs lost = recovery();

    assertEquals("", lost.remake(2, 10));

    assertEquals(List.of(mapArguments(0, 1).attemptId(), mapArguments(2, 1).attemptId()),
        launched.stream().sorted().toList(), "the maps of h1 run again, as attempt 1");
    assertEquals(AttemptState.FAILED, progress.attempts().get(0).state(),
        "the lost output's attempt no longer counts as successful");
    assertEquals("h9", progress.successful(TaskKind.MAP, 2).orElseThrow().host());
    assertEquals(AttemptState.SUCCEEDED, progress.attempts().get(1).state(), "h2's stays");
    TaskCompletionEvent[] events = progress.events(0, 100);
    assertEquals(2, java.util.Arrays.stream(events)
        .filter(e -> e.getStatus() == TaskCompletionEvent.Status.OBSOLETE).count());

    assertEquals("", lost.remake(0, 10), "a reduce launched before the re-run only retries");
    assertEquals(2, launched.size());
  }
}
