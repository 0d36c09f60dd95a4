package io.marvel.faas.client;

import com.google.gson.JsonObject;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.TaskResult;
import io.marvel.faas.task.TaskAction;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-JVM launcher: calls the task action's real entry point
 * {@link TaskAction#main(JsonObject)} on a thread of this JVM, with the same JSON arguments and
 * result an OpenWhisk activation would carry. This JVM is then the one warm container. It is
 * the launcher for fast tests and single-process use; it does not isolate tasks, and a timed-out
 * activation's thread is interrupted but cannot be destroyed as a container would be.
 */
final class InJvmLauncher implements TaskLauncher {
  private final long timeoutMs;
  private final ExecutorService threads;

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
  }

  @Override
  public ActivationOutcome launch(TaskArguments args) throws InterruptedException {
    String activationId = UUID.randomUUID().toString().replace("-", "");
    JsonObject params = args.toJson();
    Future<JsonObject> call = threads.submit(() -> TaskAction.main(params));
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

  @Override
  public void jobEnded(String jobId) {
    TaskAction.evictJob(jobId);
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
