package io.marvel.faas.protocol;

import com.google.gson.JsonObject;
import java.util.ServiceLoader;

/**
 * The task action as the client sees it: the class OpenWhisk's Java runtime calls, and, for the
 * in-JVM launcher, a way to call it directly. The function side provides the one
 * implementation through {@link ServiceLoader} ({@code META-INF/services}), so the client names
 * no class of {@code faas.task}; the two sides share only this package.
 */
public interface TaskEntryPoint {
  /**
   * @return the action's main class, whose {@code static JsonObject main(JsonObject)} OpenWhisk's
   *     Java runtime calls; its code source is the action's code
   */
  Class<?> actionClass();

  /**
   * Runs one activation in this JVM, as the action's {@code main} would in a container.
   *
   * @param args the activation's parameters ({@link TaskArguments#toJson()})
   * @return the result JSON ({@link TaskResult#toJson()} or {@code {"error": ...}})
   */
  JsonObject run(JsonObject args);

  /**
   * Drops what this JVM's container cache holds for an ended job.
   *
   * @param jobId the job's identifier
   */
  void evictJob(String jobId);

  /** Says that tasks run in this JVM beside their client, which keeps its working directory. */
  void runInClientJvm();

  /**
   * @return the entry point on the class path
   * @throws IllegalStateException if the class path has no task action
   */
  static TaskEntryPoint load() {
    return ServiceLoader.load(TaskEntryPoint.class, TaskEntryPoint.class.getClassLoader())
        .findFirst().orElseThrow(() -> new IllegalStateException("No task action on the class "
            + "path: META-INF/services/" + TaskEntryPoint.class.getName() + " names none; put "
            + "the hadoop-faas-mapreduce jar (which holds it) on the client's class path"));
  }
}
