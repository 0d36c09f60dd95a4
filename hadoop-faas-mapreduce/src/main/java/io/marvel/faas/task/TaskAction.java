package io.marvel.faas.task;

import com.google.gson.JsonObject;
import io.marvel.faas.protocol.TaskArguments;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenWhisk Java action that runs one MapReduce task attempt: {@code main} takes
 * {@link TaskArguments} as JSON and returns a {@link io.marvel.faas.protocol.TaskResult} as
 * JSON, as OpenWhisk's Java runtime expects (Gson 2.9 {@code JsonObject main(JsonObject)}).
 * Nothing here depends on a particular platform.
 *
 * <p>The class keeps per-container state in statics, which is what makes a warm container
 * stateful: the job cache (configuration, jar, class loader) survives between activations of
 * the same container. Malformed arguments yield an {@code error} result, which OpenWhisk
 * records as an application error. Thread-safe, although OpenWhisk runs one activation at a
 * time per Java container.
 */
public final class TaskAction {
  private static final Logger LOG = LoggerFactory.getLogger(TaskAction.class);
  private static final String CONTAINER_ID = "c-" + ProcessHandle.current().pid() + "-"
      + UUID.randomUUID().toString().substring(0, 8);
  private static final Path CONTAINER_DIR =
      Paths.get(System.getProperty("java.io.tmpdir"), "marvel-faas-" + CONTAINER_ID);
  private static final AtomicLong ACTIVATIONS = new AtomicLong();
  /** Set by OpenWhisk's runtimes for an action (Marvel's as a system property). */
  private static final String ACTIVATION_ID = "__OW_ACTIVATION_ID";
  private static final AtomicBoolean IN_CLIENT_JVM = new AtomicBoolean();
  private static final JobCache CACHE = new JobCache(CONTAINER_DIR.resolve("jobs"));
  private static final TaskAttemptRunner RUNNER = new TaskAttemptRunner(CONTAINER_ID, CACHE,
      new AttemptWorkingDir(Paths.get(System.getProperty("user.dir")),
          TaskAction::ownsWorkingDirectory),
      CONTAINER_DIR.resolve("scratch"));

  static {
    // The container's local files go with the container; evicted or killed JVMs leave tmpdir
    // entries only when they die without running hooks.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        CachedJob.deleteTree(CONTAINER_DIR);
      } catch (IOException e) {
        LOG.warn("Could not remove container dir {}", CONTAINER_DIR, e);
      }
    }, "faas-container-cleanup"));
  }

  private TaskAction() {
  }

  /**
   * Runs the task attempt the arguments describe.
   *
   * @param args activation parameters, see {@link TaskArguments#toJson()}
   * @return the task result JSON, or {@code {"error": ...}} when the arguments are malformed
   */
  public static JsonObject main(JsonObject args) {
    TaskArguments arguments;
    try {
      arguments = TaskArguments.fromJson(args);
    } catch (IllegalArgumentException e) {
      JsonObject error = new JsonObject();
      error.addProperty("error", "malformed task arguments: " + e.getMessage());
      return error;
    }
    LOG.debug("Container {} runs {}", CONTAINER_ID, arguments.attemptId());
    return RUNNER.run(arguments, ACTIVATIONS.getAndIncrement() == 0).toJson();
  }

  /**
   * Drops a job from this container's cache. Used by the in-JVM launcher when a job ends, since
   * its single container lives as long as the client.
   *
   * @param jobId the job id
   */
  public static void evictJob(String jobId) {
    CACHE.evict(jobId);
  }

  /**
   * Says that tasks run in this JVM beside their client (the in-JVM launcher): its working
   * directory is the client's, so what tasks leave there stays, as with Hadoop's local runner.
   */
  public static void runInClientJvm() {
    IN_CLIENT_JVM.set(true);
  }

  /** An action container's working directory is its own, as a YARN container's is. */
  private static boolean ownsWorkingDirectory() {
    return !IN_CLIENT_JVM.get()
        && (System.getProperty(ACTIVATION_ID) != null || System.getenv(ACTIVATION_ID) != null);
  }

  /** @return the identifier of this container (JVM) */
  public static String containerId() {
    return CONTAINER_ID;
  }
}
