package io.marvel.faas.task;

import com.google.gson.JsonObject;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.WarmUp;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one action container (JVM) keeps between activations: its id, its local dir, the job
 * cache (configuration, jar, class loader) that makes a warm container stateful, and the
 * runner of task attempts. {@link TaskAction} holds the one instance of its JVM. Thread-safe.
 */
final class TaskContainer {
  private static final Logger LOG = LoggerFactory.getLogger(TaskContainer.class);
  /** Set by OpenWhisk's runtimes for an action (Marvel's as a system property). */
  private static final String ACTIVATION_ID = "__OW_ACTIVATION_ID";

  private final String id;
  private final AtomicLong activations = new AtomicLong();
  private final AtomicBoolean inClientJvm = new AtomicBoolean();
  private final JobCache cache;
  private final TaskAttemptRunner runner;
  private final IdleHeapTrim heapTrim = IdleHeapTrim.ofThisJvm();

  private TaskContainer(String id, Path dir) {
    this.id = id;
    this.cache = new JobCache(dir.resolve("jobs"));
    this.runner = new TaskAttemptRunner(id, cache,
        new AttemptWorkingDir(Paths.get(System.getProperty("user.dir")),
            this::ownsWorkingDirectory),
        dir.resolve("scratch"));
  }

  /**
   * @return this JVM's container, whose local files go when the JVM exits (evicted or killed
   *     JVMs leave tmpdir entries only when they die without running hooks)
   */
  static TaskContainer start() {
    String id = "c-" + ProcessHandle.current().pid() + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "marvel-faas-" + id);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        CachedJob.deleteTree(dir);
      } catch (IOException e) {
        LOG.warn("Could not remove container dir {}", dir, e);
      }
    }, "faas-container-cleanup"));
    return new TaskContainer(id, dir);
  }

  /**
   * @param args activation parameters, see {@link TaskArguments#toJson()}
   * @return the task result JSON, or {@code {"error": ...}} when the arguments are malformed
   */
  JsonObject run(JsonObject args) {
    // In the client's JVM (the in-JVM launcher) the heap is the client's, not ours to trim.
    boolean trimWhenIdle = !inClientJvm.get();
    if (trimWhenIdle) {
      heapTrim.activationStarted();
    }
    try {
      return runActivation(args);
    } finally {
      if (trimWhenIdle) {
        heapTrim.activationEnded();
      }
    }
  }

  private JsonObject runActivation(JsonObject args) {
    if (WarmUp.isRequest(args)) {
      return warmUp();
    }
    TaskArguments arguments;
    try {
      arguments = TaskArguments.fromJson(args);
    } catch (IllegalArgumentException e) {
      JsonObject error = new JsonObject();
      error.addProperty("error", "malformed task arguments: " + e.getMessage());
      return error;
    }
    LOG.debug("Container {} runs {}", id, arguments.attemptId());
    return runner.run(arguments, activations.getAndIncrement() == 0).toJson();
  }

  /**
   * A warm-up counts as this container's first activation, so the task that follows reports a
   * warm container. A failure is the activation's error: the client only logs it.
   */
  private JsonObject warmUp() {
    activations.getAndIncrement();
    try {
      WarmUp.Reply reply = TaskWarmUp.run(id);
      LOG.info("Container {} warmed up: {} classes loaded in {} ms", id, reply.classesLoaded(),
          reply.ms());
      return reply.toJson();
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("Container {}: warm-up failed", id, e);
      JsonObject error = new JsonObject();
      error.addProperty("error", "warm-up of container " + id + " failed: " + e.getMessage());
      return error;
    }
  }

  void evictJob(String jobId) {
    cache.evict(jobId);
  }

  void runInClientJvm() {
    inClientJvm.set(true);
  }

  /** An action container's working directory is its own, as a YARN container's is. */
  private boolean ownsWorkingDirectory() {
    return !inClientJvm.get()
        && (System.getProperty(ACTIVATION_ID) != null || System.getenv(ACTIVATION_ID) != null);
  }

  String id() {
    return id;
  }
}
