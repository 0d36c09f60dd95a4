package io.marvel.faas.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.launcher.ActivationOutcome;
import io.marvel.faas.launcher.TaskLauncher;
import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.TaskKind;
import io.marvel.faas.protocol.TaskResult;
import io.marvel.faas.registry.JobRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.mapreduce.JobID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Retries, kills and user failures of the stage scheduler, with a scripted launcher. */
class StageRunnerTest {
  private static final JobID JOB = new JobID("1700000000000", 7);
  private final ExecutorService activations = Executors.newCachedThreadPool();
  private final JobProgress progress = new JobProgress(JOB, "user", "test", "job.xml", 1, 0,
      new JobCounters(512, 1));
  @TempDir
  Path summaryDir;

  @AfterEach
  void stopActivations() {
    activations.shutdownNow();
  }

  private static TaskArguments arguments(int index, int attempt) {
    return new TaskArguments(JOB.toString(), String.format("attempt_1700000000000_0007_m_%06d_%d",
        index, attempt), TaskKind.MAP, index, "user", "/staging", "/staging/job.split", 0, 1, 0,
        new StoreLocation(StoreKind.HDFS, "/state"));
  }

  private static TaskArguments reduceArguments(int index, int attempt) {
    return new TaskArguments(JOB.toString(), String.format("attempt_1700000000000_0007_r_%06d_%d",
        index, attempt), TaskKind.REDUCE, index, "user", "/staging", null, 0, 1, 1,
        new StoreLocation(StoreKind.HDFS, "/state"));
  }

  /** Fails the attempts it names with what their results say about the job's state. */
  private static final class StateFaultLauncher extends ScriptedLauncher {
    private final Map<String, Integer> lostMapOutput;
    private final Set<String> failingJob;

    StateFaultLauncher(Map<String, Integer> lostMapOutput, Set<String> failingJob) {
      super(Set.of());
      this.lostMapOutput = lostMapOutput;
      this.failingJob = failingJob;
    }

    @Override
    public ActivationOutcome launch(TaskArguments args) {
      String id = args.attemptId();
      boolean fails = lostMapOutput.containsKey(id) || failingJob.contains(id);
      return new ActivationOutcome.Completed(activationOf(id), new TaskResult(id, !fails,
          fails ? "state fault" : "", Map.of(), "c-1", true, false, 1, 2, "h",
          lostMapOutput.getOrDefault(id, -1), failingJob.contains(id)));
    }
  }

  private StageRunner runner(TaskLauncher launcher) {
    return new StageRunner(launcher, 2, progress, activations,
        new TaskLogs(new JobRegistry(summaryDir), JOB.toString(), launcher));
  }

  /**
   * Attempts in {@code blocked} run until interrupted, those in {@code failing} fail, the others
   * succeed at once.
   */
  private static class ScriptedLauncher implements TaskLauncher {
    private final Set<String> blocked;
    private final Set<String> failing;
    private final Set<String> interrupted = ConcurrentHashMap.newKeySet();
    private final Set<String> started = ConcurrentHashMap.newKeySet();

    ScriptedLauncher(Set<String> blocked) {
      this(blocked, Set.of());
    }

    ScriptedLauncher(Set<String> blocked, Set<String> failing) {
      this.blocked = blocked;
      this.failing = failing;
    }

    @Override
    public void prepare() {
    }

    @Override
    public ActivationOutcome launch(TaskArguments args) throws InterruptedException {
      started.add(args.attemptId());
      if (blocked.contains(args.attemptId())) {
        try {
          Thread.sleep(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
          interrupted.add(args.attemptId());
          throw e;
        }
      }
      boolean fails = failing.contains(args.attemptId());
      return new ActivationOutcome.Completed(activationOf(args.attemptId()), new TaskResult(
          args.attemptId(), !fails, fails ? "mapper threw" : "", Map.of(), "c-1", true, false, 1,
          2, "h", -1, false));
    }

    @Override
    public List<String> activationLogs(String activationId) throws IOException {
      return List.of("stderr: log of " + activationId, "stderr: its second line");
    }

    @Override
    public void jobEnded(String jobId) {
    }

    @Override
    public void close() {
    }
  }

  /**
   * Abandons each attempt in turn as soon as its launch runs, on another thread. Not as soon as
   * it is live: an activation abandoned before its launch started is cancelled and never runs.
   */
  private void abandonWhenLaunched(ScriptedLauncher launcher, List<String> attemptIds,
      AttemptState state) {
    Thread user = new Thread(() -> {
      for (String id : attemptIds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!launcher.started.contains(id) && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        progress.live(id).abandon(state, id + " was abandoned by the test");
      }
    });
    user.setDaemon(true);
    user.start();
  }

  private static String activationOf(String attemptId) {
    return "a" + Integer.toHexString(attemptId.hashCode());
  }

  @Test
  void eachReturnedActivationsLogsAreKeptAndAFailedAttemptNamesItsLog() throws Exception {
    String first = arguments(0, 0).attemptId();
    String second = arguments(0, 1).attemptId();
    ScriptedLauncher launcher = new ScriptedLauncher(Set.of(), Set.of(first));

    assertEquals("", runner(launcher).run(TaskKind.MAP, 1, 2, StageRunnerTest::arguments));

    List<AttemptRecord> attempts = progress.attempts();
    Path firstLog = summaryDir.resolve(JOB + ".logs").resolve(first + ".log");
    Path secondLog = summaryDir.resolve(JOB + ".logs").resolve(second + ".log");
    assertEquals(List.of(firstLog.toString(), secondLog.toString()),
        attempts.stream().map(AttemptRecord::logFile).toList());
    assertEquals("stderr: log of " + activationOf(first) + "\nstderr: its second line\n",
        Files.readString(firstLog));
    assertEquals("activation " + activationOf(first) + " in container c-1: mapper threw"
        + "\nTask log: " + firstLog, attempts.get(0).diagnostics());
    assertEquals("", attempts.get(1).diagnostics());
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(firstLog)), "a task's log is its user's only");
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(firstLog.getParent())), "and so is the job's logs dir");
  }

  @Test
  void logsThatCannotBeFetchedLeaveTheReasonInTheirFile() throws Exception {
    ScriptedLauncher launcher = new ScriptedLauncher(Set.of()) {
      @Override
      public List<String> activationLogs(String activationId) throws IOException {
        throw new IOException("platform unreachable");
      }
    };

    assertEquals("", runner(launcher).run(TaskKind.MAP, 1, 1, StageRunnerTest::arguments));

    String attempt = arguments(0, 0).attemptId();
    assertEquals("The logs of activation " + activationOf(attempt) + " could not be fetched:"
        + " java.io.IOException: platform unreachable\n", Files.readString(
            summaryDir.resolve(JOB + ".logs").resolve(attempt + ".log")));
  }

  @Test
  @Timeout(60)
  void aLogFetchThatThrowsAnythingStillEndsTheAttempt() throws Exception {
    ScriptedLauncher launcher = new ScriptedLauncher(Set.of()) {
      @Override
      public List<String> activationLogs(String activationId) {
        throw new IllegalStateException("odd reply");
      }
    };

    assertEquals("", runner(launcher).run(TaskKind.MAP, 1, 1, StageRunnerTest::arguments));

    String attempt = arguments(0, 0).attemptId();
    assertTrue(Files.readString(summaryDir.resolve(JOB + ".logs").resolve(attempt + ".log"))
        .endsWith("could not be fetched: java.lang.IllegalStateException: odd reply\n"));
  }

  @Test
  void killedAttemptIsReplacedAndDoesNotCount() throws Exception {
    String first = arguments(0, 0).attemptId();
    ScriptedLauncher launcher = new ScriptedLauncher(Set.of(first));
    abandonWhenLaunched(launcher, List.of(first), AttemptState.KILLED);

    String failure = runner(launcher)
        .run(TaskKind.MAP, 1, 1, StageRunnerTest::arguments);

    assertEquals("", failure, "a kill does not use up the single attempt");
    List<AttemptRecord> attempts = progress.attempts();
    assertEquals(List.of(AttemptState.KILLED, AttemptState.SUCCEEDED),
        attempts.stream().map(AttemptRecord::state).toList());
    assertEquals(first + " was abandoned by the test", attempts.get(0).diagnostics());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!launcher.interrupted.contains(first) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(launcher.interrupted.contains(first),
        "the abandoned launch is no longer waited for");
  }

  @Test
  void attemptsFailedByTheUserCountUntilTheTaskFails() throws Exception {
    String first = arguments(0, 0).attemptId();
    String second = arguments(0, 1).attemptId();
    ScriptedLauncher launcher = new ScriptedLauncher(Set.of(first, second));
    abandonWhenLaunched(launcher, List.of(first, second), AttemptState.FAILED);

    String failure = runner(launcher)
        .run(TaskKind.MAP, 1, 2, StageRunnerTest::arguments);

    assertEquals("Task map 0 failed 2 times; last attempt: " + second
        + " was abandoned by the test", failure);
    assertEquals(List.of(AttemptState.FAILED, AttemptState.FAILED),
        progress.attempts().stream().map(AttemptRecord::state).toList());
    assertFalse(progress.attempts().stream().anyMatch(AttemptRecord::succeeded));
  }

  @Test
  void anAttemptWhoseFailureFailsTheJobIsNotRetried() throws Exception {
    String first = arguments(0, 0).attemptId();
    StateFaultLauncher launcher = new StateFaultLauncher(Map.of(), Set.of(first));

    String failure = runner(launcher).run(TaskKind.MAP, 1, 4, StageRunnerTest::arguments);

    assertTrue(failure.startsWith("Task map 0 failed, which fails the job: activation "),
        failure);
    assertTrue(failure.contains("state fault"), failure);
    assertEquals(1, progress.attempts().size(), "no other attempt runs");
  }

  @Test
  void aReduceThatLostAMapOutputHasItMadeAgainAndIsRetriedWithoutCounting() throws Exception {
    String first = reduceArguments(0, 0).attemptId();
    String second = reduceArguments(0, 1).attemptId();
    StateFaultLauncher launcher = new StateFaultLauncher(Map.of(first, 3, second, 5), Set.of());
    List<Integer> remade = new java.util.ArrayList<>();
    StageRunner runner = new StageRunner(launcher, 2, progress, activations,
        new TaskLogs(new JobRegistry(summaryDir), JOB.toString(), launcher), (map, since) -> {
          remade.add(map);
          return "";
        });

    String failure = runner.run(TaskKind.REDUCE, 1, 2, StageRunnerTest::reduceArguments);

    assertEquals("", failure, "attempts that lost a map output do not use up the two attempts");
    assertEquals(List.of(3, 5), remade);
    assertEquals(List.of(AttemptState.KILLED, AttemptState.KILLED, AttemptState.SUCCEEDED),
        progress.attempts().stream().map(AttemptRecord::state).toList());
    assertTrue(progress.attempts().get(0).diagnostics().startsWith("the stored output of map 3"
        + " could not be read"), progress.attempts().get(0).diagnostics());
  }

  @Test
  void aMapOutputThatCannotBeMadeAgainFailsTheStage() throws Exception {
    String first = reduceArguments(0, 0).attemptId();
    StateFaultLauncher launcher = new StateFaultLauncher(Map.of(first, 2), Set.of());
    StageRunner runner = new StageRunner(launcher, 2, progress, activations,
        new TaskLogs(new JobRegistry(summaryDir), JOB.toString(), launcher),
        (map, since) -> "Task map 2 failed 4 times");

    assertEquals("Task reduce 0 lost the output of map 2, which could not be made again: Task"
        + " map 2 failed 4 times",
        runner.run(TaskKind.REDUCE, 1, 4, StageRunnerTest::reduceArguments));
  }
}
