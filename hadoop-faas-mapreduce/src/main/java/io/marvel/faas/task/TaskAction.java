package io.marvel.faas.task;

import com.google.gson.JsonObject;
import io.marvel.faas.protocol.TaskArguments;

/**
 * The OpenWhisk Java action that runs one MapReduce task attempt: {@code main} takes
 * {@link TaskArguments} as JSON and returns a {@link io.marvel.faas.protocol.TaskResult} as
 * JSON, as OpenWhisk's Java runtime expects (Gson 2.9 {@code JsonObject main(JsonObject)}).
 * Nothing here depends on a particular platform.
 *
 * <p>OpenWhisk's Java runtime calls the static {@code main}, so the container's state (a
 * {@link TaskContainer}: the job cache, which makes a warm container stateful) is held in one
 * static field, the only JVM-wide state of the function side: a container is a JVM.
 * Malformed arguments yield an {@code error} result, which OpenWhisk records as an application
 * error. Thread-safe, although OpenWhisk runs one activation at a time per Java container.
 */
public final class TaskAction {
  private static final TaskContainer CONTAINER = TaskContainer.start();

  private TaskAction() {
  }

  /**
   * Runs the task attempt the arguments describe.
   *
   * @param args activation parameters, see {@link TaskArguments#toJson()}
   * @return the task result JSON, or {@code {"error": ...}} when the arguments are malformed
   */
  public static JsonObject main(JsonObject args) {
    return CONTAINER.run(args);
  }

  /**
   * Drops a job from this container's cache. Used by the in-JVM launcher when a job ends, since
   * its single container lives as long as the client.
   *
   * @param jobId the job id
   */
  public static void evictJob(String jobId) {
    CONTAINER.evictJob(jobId);
  }

  /**
   * Says that tasks run in this JVM beside their client (the in-JVM launcher): its working
   * directory is the client's, so what tasks leave there stays, as with Hadoop's local runner.
   */
  public static void runInClientJvm() {
    CONTAINER.runInClientJvm();
  }

  /** @return the identifier of this container (JVM) */
  public static String containerId() {
    return CONTAINER.id();
  }
}
