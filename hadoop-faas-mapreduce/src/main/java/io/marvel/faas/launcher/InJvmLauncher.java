package io.marvel.faas.launcher;

import com.google.gson.JsonObject;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.TaskEntryPoint;
import io.marvel.faas.protocol.TaskResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-JVM launcher: calls the task action's real entry point (its {@code main}, through
 * {@link TaskEntryPoint#run(JsonObject)}) on a thread of this JVM, with the same JSON arguments and
 * result an OpenWhisk activation would carry. This JVM is then the one warm container. It is
 * the launcher for fast tests and single-process use; it does not isolate tasks, and a timed-out
 * activation's thread is interrupted but cannot be destroyed as a container would be.
 */
final class InJvmLauncher implements TaskLauncher {
  private final long timeoutMs;
  private static final Logger LOG = LoggerFactory.getLogger(InJvmLauncher.class);

  private final TaskEntryPoint action = TaskEntryPoint.load();
  private final ExecutorService threads;
  private final Map<String, Integer> running = new HashMap<>();

  /** @param timeoutMs time limit of one activation in milliseconds */
  InJvmLauncher(long timeoutMs) {
    this.timeoutMs = timeoutMs;
    AtomicInteger count = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "faas-in-jvm-activation-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public void prepare() {
    // The entry point is on this JVM's classpath; nothing to deploy.
    action.runInClientJvm();
  }

  @Override
  public ActivationOutcome launch(TaskArguments args) throws InterruptedException {
    String activationId = UUID.randomUUID().toString().replace("-", "");
    JsonObject params = args.toJson();
    String jobId = args.jobId();
    started(jobId);
    Future<JsonObject> call = threads.submit(() -> {
      try {
        return action.run(params);
      } finally {
        ended(jobId);
      }
    });
    JsonObject json;
    try {
      json = call.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      return new ActivationOutcome.Failed(activationId, "activation " + activationId
          + " timed out after " + timeoutMs + " ms");
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      return new ActivationOutcome.Failed(activationId, "activation " + activationId
          + " threw " + e.getCause());
    }
    if (json.has("error")) {
      return new ActivationOutcome.Failed(activationId, "activation " + activationId
          + " returned error: " + json.get("error").getAsString());
    }
    return new ActivationOutcome.Completed(activationId, TaskResult.fromJson(json));
  }

  private synchronized void started(String jobId) {
    running.merge(jobId, 1, Integer::sum);
  }

  private synchronized void ended(String jobId) {
    running.merge(jobId, -1, Integer::sum);
    notifyAll();
  }

  @Override
  public List<String> activationLogs(String activationId) {
    // The task logged where this JVM logs.
    return List.of();
  }

  /**
   * Waits (at most the activation timeout) for the job's activation threads still running,
   * which an interrupt may not stop at once, then drops the job from the container's cache.
   */
  @Override
  public void jobEnded(String jobId) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    synchronized (this) {
      try {
        while (running.getOrDefault(jobId, 0) > 0) {
          long left = deadline - System.currentTimeMillis();
          if (left <= 0) {
            LOG.warn("{} activation(s) of job {} still running after {} ms",
                running.get(jobId), jobId, timeoutMs);
            break;
          }
          wait(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running.remove(jobId);
    }
    action.evictJob(jobId);
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
