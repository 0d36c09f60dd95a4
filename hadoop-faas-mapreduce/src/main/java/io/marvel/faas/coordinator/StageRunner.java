package io.marvel.faas.coordinator;

import io.marvel.faas.launcher.ActivationOutcome;
import io.marvel.faas.launcher.TaskLauncher;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.TaskKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks of one stage (all maps, or all reduces) as activations, at most
 * {@code concurrency} at a time, retrying a failed attempt as a new attempt up to
 * {@code maxAttempts}. One attempt per task is waited for at a time (no speculation). An attempt
 * the user kills is replaced right away and does not count toward {@code maxAttempts}; one the
 * user fails counts. The abandoned activation is no longer waited for, so it may still run
 * beside its replacement, but it cannot commit (see {@code CommitGates}). The first task that
 * runs out of attempts fails the stage; no new attempts start after that. So does, at once, an
 * attempt whose failure the state store says no other attempt can avoid (the job's state is not
 * on its host). A reduce attempt that failed because a map's stored output is lost (no host
 * holds a copy any more) hands the map to {@link LostOutputs}, which runs it again, and is then
 * retried; such attempts do not count toward {@code maxAttempts}, but at most
 * {@code maxAttempts} of them are retried per task, as a bound.
 */
final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

  /** Builds the arguments of attempt {@code attempt} (0-based) of task {@code index}. */
  @FunctionalInterface
  interface ArgumentsFactory {
    TaskArguments arguments(int index, int attempt);
  }

  private final TaskLauncher launcher;
  private final int concurrency;
  private final JobProgress progress;
  private final ExecutorService activations;
  private final TaskLogs logs;
  private final LostOutputs lostOutputs;

  /** Makes a lost map output again; given to the runner of the reduce stage. */
  @FunctionalInterface
  interface LostOutputs {
    /**
     * @param map the map whose output a reduce attempt could not read
     * @param reduceLaunchMs when that reduce attempt was launched, epoch ms: a map made again
     *     since then is not made again
     * @return empty once the output is there again, else why it could not be made
     * @throws InterruptedException if the job was killed meanwhile
     */
    String remake(int map, long reduceLaunchMs) throws InterruptedException;
  }

  /** How one attempt ended, with what its task result says about the job's state. */
  private record Ended(AttemptRecord record, int lostMapOutput, boolean failsJob) {
  }

  /**
   * @param launcher launches activations
   * @param concurrency attempts waited for at once
   * @param progress records attempts
   * @param activations runs the blocking launches, one thread each (a cached pool)
   * @param logs keeps each returned activation's logs
   */
  StageRunner(TaskLauncher launcher, int concurrency, JobProgress progress,
      ExecutorService activations, TaskLogs logs) {
    this(launcher, concurrency, progress, activations, logs, (map, since) ->
        "the output of map " + map + " is lost and cannot be made again");
  }

  /**
   * @param lostOutputs makes a map's lost output again (reduce stage)
   */
  StageRunner(TaskLauncher launcher, int concurrency, JobProgress progress,
      ExecutorService activations, TaskLogs logs, LostOutputs lostOutputs) {
    this.launcher = launcher;
    this.concurrency = concurrency;
    this.progress = progress;
    this.activations = activations;
    this.logs = logs;
    this.lostOutputs = lostOutputs;
  }

  /**
   * @param kind the stage
   * @param count number of tasks
   * @param maxAttempts attempts per task, at least 1
   * @param factory the arguments of each attempt
   * @return empty on success, else the failure of the task that ran out of attempts
   * @throws InterruptedException if the job was killed meanwhile
   */
  String run(TaskKind kind, int count, int maxAttempts, ArgumentsFactory factory)
      throws InterruptedException {
    return run(kind, IntStream.range(0, count).boxed().toList(), maxAttempts, factory);
  }

  /**
   * Runs some tasks of a stage; a task that ran before gets its next attempt number.
   *
   * @param kind the stage
   * @param indexes the tasks to run
   * @param maxAttempts attempts per task, at least 1
   * @param factory the arguments of each attempt
   * @return empty on success, else the failure of the task that ran out of attempts
   * @throws InterruptedException if the job was killed meanwhile
   */
  String run(TaskKind kind, List<Integer> indexes, int maxAttempts, ArgumentsFactory factory)
      throws InterruptedException {
    if (indexes.isEmpty()) {
      return "";
    }
    AtomicReference<String> failure = new AtomicReference<>("");
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, indexes.size()),
        r -> {
          Thread thread = new Thread(r, "faas-" + kind.name().toLowerCase() + "-scheduler");
          thread.setDaemon(true);
          return thread;
        });
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int index : indexes) {
        tasks.add(pool.submit(() -> {
          runTask(kind, index, maxAttempts, factory, failure);
          return null;
        }));
      }
      for (Future<?> task : tasks) {
        try {
          task.get();
        } catch (ExecutionException e) {
          failure.compareAndSet("", "scheduling " + kind + " failed: " + e.getCause());
        }
      }
      return failure.get();
    } finally {
      pool.shutdownNow();
    }
  }

  private void runTask(TaskKind kind, int index, int maxAttempts, ArgumentsFactory factory,
      AtomicReference<String> failure) throws InterruptedException {
    String last = "";
    int failures = 0;
    int lost = 0;
    for (int attempt = progress.attemptCount(kind, index); failures < maxAttempts; attempt++) {
      if (!failure.get().isEmpty()) {
        return;
      }
      TaskArguments args = factory.arguments(index, attempt);
      Ended ended = runAttempt(kind, index, args);
      AttemptRecord record = ended.record();
      boolean lostInput = ended.lostMapOutput() >= 0 && lost++ < maxAttempts;
      if (lostInput) {
        // As a Hadoop reduce is not failed for fetch failures: it is stopped and runs again.
        record = record.as(AttemptState.KILLED, "the stored output of map "
            + ended.lostMapOutput() + " could not be read (no host holds a copy, or it was"
            + " replaced); the reduce runs again once the map's output is there\n"
            + record.diagnostics());
      }
      progress.add(record);
      if (ended.failsJob()) {
        failure.compareAndSet("", "Task " + kind.name().toLowerCase() + " " + index
            + " failed, which fails the job: " + record.diagnostics());
        return;
      }
      if (lostInput) {
        LOG.warn("{} could not read the output of map {}: no host holds a copy any more; the"
            + " map runs again, then the reduce", args.attemptId(), ended.lostMapOutput());
        String remade = lostOutputs.remake(ended.lostMapOutput(), record.launchMs());
        if (!remade.isEmpty()) {
          failure.compareAndSet("", "Task " + kind.name().toLowerCase() + " " + index
              + " lost the output of map " + ended.lostMapOutput() + ", which could not be made"
              + " again: " + remade);
          return;
        }
        continue;
      }
      switch (record.state()) {
        case SUCCEEDED -> {
          LOG.debug("{} succeeded in activation {}", args.attemptId(), record.activationId());
          return;
        }
        case KILLED -> LOG.info("{} was killed; a new attempt takes over: {}", args.attemptId(),
            record.diagnostics());
        case FAILED -> {
          failures++;
          last = record.diagnostics();
          LOG.warn("{} failed ({} of {} attempts): {}", args.attemptId(), failures,
              maxAttempts, firstLine(last));
        }
      }
    }
    failure.compareAndSet("", "Task " + kind.name().toLowerCase() + " " + index + " failed "
        + maxAttempts + " times; last attempt: " + last);
  }

  /** Launches one attempt and waits until its activation returns or the user abandons it. */
  private Ended runAttempt(TaskKind kind, int index, TaskArguments args)
      throws InterruptedException {
    LiveAttempt live = progress.launched(kind, index, args.attemptId());
    Future<?> activation = activations.submit(() -> {
      ActivationOutcome outcome = launch(args);
      try {
        logs.save(args.attemptId(), outcome.activationId());
      } finally {
        live.returned(outcome);
      }
    });
    LiveAttempt.End end;
    try {
      end = live.await();
    } catch (InterruptedException e) {
      activation.cancel(true);
      progress.add(AttemptRecord.abandoned(kind, index, args.attemptId(), live.launchMs(),
          AttemptState.KILLED, "attempt killed with its job"));
      throw e;
    }
    if (end instanceof LiveAttempt.Returned returned) {
      AttemptRecord record = AttemptRecord.of(kind, index, args.attemptId(), live.launchMs(),
          returned.outcome());
      record = logs.find(args.attemptId()).map(record::withLog).orElse(record);
      if (returned.outcome() instanceof ActivationOutcome.Completed done
          && !done.result().succeeded()) {
        return new Ended(record, done.result().lostMapOutput(), done.result().failsJob());
      }
      return new Ended(record, -1, false);
    }
    LiveAttempt.Abandoned abandoned = (LiveAttempt.Abandoned) end;
    // Stop waiting for the activation; the in-JVM launcher also interrupts the task.
    activation.cancel(true);
    return new Ended(AttemptRecord.abandoned(kind, index, args.attemptId(), live.launchMs(),
        abandoned.state(), abandoned.reason()), -1, false);
  }

  private ActivationOutcome launch(TaskArguments args) {
    try {
      return launcher.launch(args);
    } catch (InterruptedException e) {
      // Cancelled because the attempt was abandoned or its job killed; nobody waits for this.
      Thread.currentThread().interrupt();
      return new ActivationOutcome.Failed("none", "launch of " + args.attemptId()
          + " interrupted");
    } catch (RuntimeException e) {
      return new ActivationOutcome.Failed("none", "launching " + args.attemptId()
          + " failed: " + e);
    }
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
