package io.marvel.faas.task;

import com.google.gson.JsonObject;
import io.marvel.faas.protocol.TaskEntryPoint;

/** {@link TaskEntryPoint} over {@link TaskAction}, registered in {@code META-INF/services}. */
public final class TaskActionEntryPoint implements TaskEntryPoint {
  /** For {@link java.util.ServiceLoader}. */
  public TaskActionEntryPoint() {
  }

  @Override
  public Class<?> actionClass() {
    return TaskAction.class;
  }

  @Override
  public JsonObject run(JsonObject args) {
    return TaskAction.main(args);
  }

  @Override
  public void evictJob(String jobId) {
    TaskAction.evictJob(jobId);
  }

  @Override
  public void runInClientJvm() {
    TaskAction.runInClientJvm();
  }
}
