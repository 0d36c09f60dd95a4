package io.marvel.faas.client;

import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.TaskKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks of one stage (all maps, or all reduces) as activations, at most
 * {@code concurrency} at a time, retrying a failed attempt as a new attempt up to
 * {@code maxAttempts}. One attempt per task runs at a time (no speculation). The first task
 * that runs out of attempts fails the stage; no new attempts start after that.
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

  StageRunner(TaskLauncher launcher, int concurrency, JobProgress progress) {
    this.launcher = launcher;
    this.concurrency = concurrency;
    this.progress = progress;
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
    if (count == 0) {
      return "";
    }
    AtomicReference<String> failure = new AtomicReference<>("");
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, count), r -> {
      Thread thread = new Thread(r, "faas-" + kind.name().toLowerCase() + "-scheduler");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
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
    for (int attempt = 0; attempt < maxAttempts; attempt++) {
      if (!failure.get().isEmpty()) {
        return;
      }
      TaskArguments args = factory.arguments(index, attempt);
      long launched = System.currentTimeMillis();
      ActivationOutcome outcome;
      try {
        outcome = launcher.launch(args);
      } catch (InterruptedException e) {
        progress.add(AttemptRecord.of(kind, index, args.attemptId(), launched,
            new ActivationOutcome.Failed("none", "attempt killed with its job")));
        throw e;
      }
      AttemptRecord record = AttemptRecord.of(kind, index, args.attemptId(), launched, outcome);
      progress.add(record);
      if (record.succeeded()) {
        LOG.debug("{} succeeded in activation {}", args.attemptId(), record.activationId());
        return;
      }
      last = record.diagnostics();
      LOG.warn("{} failed (attempt {} of {}): {}", args.attemptId(), attempt + 1, maxAttempts,
          firstLine(last));
    }
    failure.compareAndSet("", "Task " + kind.name().toLowerCase() + " " + index + " failed "
        + maxAttempts + " times; last attempt: " + last);
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
