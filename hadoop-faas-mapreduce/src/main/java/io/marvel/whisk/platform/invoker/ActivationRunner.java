package io.marvel.whisk.platform.invoker;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.ActivationStatus;
import io.marvel.whisk.platform.container.ContainerFailure;
import io.marvel.whisk.platform.container.Container;
import io.marvel.whisk.platform.container.RuntimeReply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one activation in a container: {@code /init} when the container is fresh, then
 * {@code /run}, then collects the activation's logs and builds its record. Stateless and
 * thread-safe.
 */
final class ActivationRunner {
  private static final Duration LOG_WAIT = Duration.ofSeconds(2);
  private static final Duration LOG_WAIT_AFTER_FAILURE = Duration.ofMillis(200);

  /**
   * The record and whether the container may be reused.
   *
   * @param record the completed activation
   * @param keepContainer false after a developer or whisk error: the container is destroyed
   */
  record Outcome(ActivationRecord record, boolean keepContainer) {
  }

  private ActivationRunner() {
  }

  static Outcome run(ActivationJob job, Container container, boolean needsInit)
      throws InterruptedException {
    ExecutableAction action = job.action();
    Duration limit = Duration.ofMillis(action.limits().timeoutMs());
    long start = System.currentTimeMillis();
    Phase init = needsInit ? init(job, container, limit) : null;
    Long initTime = needsInit ? System.currentTimeMillis() - start : null;
    long runStart = System.currentTimeMillis();
    Phase run = init != null && init.result() != null ? init : run(job, container, limit);
    long end = System.currentTimeMillis();
    RunResult result = run.result();
    boolean healthy = result.status() == ActivationStatus.SUCCESS
        || result.status() == ActivationStatus.APPLICATION_ERROR;
    List<String> logs = collectLogs(container, action, healthy);
    long began = needsInit ? start : runStart;
    JsonArray annotations = annotations(job, initTime, run.timedOut(),
        began - job.receivedAtMs());
    container.host().ifPresent(host -> add(annotations, Activation.HOST_ANNOTATION,
        new JsonPrimitive(host)));
    ActivationRecord record = new ActivationRecord(job.activationId(), job.namespace(),
        action.name(), job.subject(), action.version(), began, end, result.status(),
        result.result(), result.size(), logs, annotations);
    return new Outcome(record, healthy);
  }

  /** The outcome of {@code /init} or {@code /run}: null result after a successful init. */
  private record Phase(RunResult result, boolean timedOut) {
  }

  private static Phase init(ActivationJob job, Container container, Duration limit)
      throws InterruptedException {
    try {
      RuntimeReply reply = container.post("/init", initBody(job).toString(), limit);
      return new Phase(reply.status() == 200 ? null : RunResult.ofInitFailure(reply.body()),
          false);
    } catch (ContainerFailure e) {
      return new Phase(RunResult.failure(ActivationStatus.DEVELOPER_ERROR, e.timedOut()
          ? "The action exceeded its time limits of " + limit.toMillis()
            + " milliseconds during initialization."
          : "The action did not initialize and exited unexpectedly." + processEnd(container, e),
          -1), e.timedOut());
    }
  }

  private static Phase run(ActivationJob job, Container container, Duration limit)
      throws InterruptedException {
    try {
      long deadline = System.currentTimeMillis() + limit.toMillis();
      RuntimeReply reply = container.post("/run", runBody(job, deadline).toString(), limit);
      return new Phase(RunResult.ofRun(reply.status(), reply.body()), false);
    } catch (ContainerFailure e) {
      return new Phase(RunResult.failure(ActivationStatus.DEVELOPER_ERROR, e.timedOut()
          ? "The action exceeded its time limits of " + limit.toMillis() + " milliseconds."
          : "The action did not produce a valid response and exited unexpectedly."
            + processEnd(container, e), -1), e.timedOut());
    }
  }

  /**
   * OpenWhisk's message for a container that went away says nothing of how; this says how the
   * process ended, after OpenWhisk's sentence, which clients may look for.
   */
  private static String processEnd(Container container, ContainerFailure e) {
    return e.processEnd().isEmpty() ? ""
        : " Its container process (pid " + container.pid() + ") " + e.processEnd() + ".";
  }

  private static List<String> collectLogs(Container container, ExecutableAction action,
      boolean healthy) throws InterruptedException {
    long limitBytes = action.limits().logsMb() * 1024L * 1024L;
    List<String> logs = new ArrayList<>(container.takeLogs(
        healthy ? LOG_WAIT : LOG_WAIT_AFTER_FAILURE, limitBytes));
    if (limitBytes == 0) {
      return List.of();
    }
    if (!healthy) {
      logs.add(String.format("%-30s stderr: %s", Instant.now(),
          "The action did not initialize or run as expected. Log data might be missing."));
    }
    return logs;
  }

  /**
   * Builds the record of an activation that never reached a container.
   *
   * @param job the activation
   * @param status a developer error (the action's image cannot be had) or a whisk error
   * @param message the error message of the result
   * @return the record
   */
  static ActivationRecord failure(ActivationJob job, ActivationStatus status, String message) {
    long now = System.currentTimeMillis();
    RunResult result = RunResult.failure(status, message, -1);
    return new ActivationRecord(job.activationId(), job.namespace(), job.action().name(),
        job.subject(), job.action().version(), now, now, result.status(), result.result(), -1,
        List.of(), annotations(job, null, false, now - job.receivedAtMs()));
  }

  private static JsonObject initBody(ActivationJob job) {
    ExecutableAction action = job.action();
    JsonObject env = new JsonObject();
    env.addProperty("__OW_NAMESPACE", job.namespace());
    env.addProperty("__OW_ACTION_NAME", "/" + action.path());
    env.addProperty("__OW_ACTION_VERSION", action.version());
    env.addProperty("__OW_ACTIVATION_ID", job.activationId());
    env.addProperty("__OW_TRANSACTION_ID", job.transactionId());
    env.addProperty("__OW_DEADLINE",
        Long.toString(System.currentTimeMillis() + action.limits().timeoutMs()));
    if (job.apiKey() != null) {
      env.addProperty("__OW_API_KEY", job.apiKey());
    }
    if (action.initEnv() != null) {
      for (Map.Entry<String, JsonElement> e : action.initEnv().entrySet()) {
        env.addProperty(e.getKey(), e.getValue().isJsonPrimitive()
            ? e.getValue().getAsString() : e.getValue().toString());
      }
    }
    JsonObject value = new JsonObject();
    value.addProperty("name", action.name());
    // As OpenWhisk's WhiskAction.containerInitializer: main defaults to "main", code only when
    // the action has some (a blackbox action may have none).
    value.addProperty("main", action.main() == null ? "main" : action.main());
    if (action.code() != null) {
      value.addProperty("code", action.code());
    }
    value.addProperty("binary", action.binary());
    value.add("env", env);
    JsonObject body = new JsonObject();
    body.add("value", value);
    return body;
  }

  private static JsonObject runBody(ActivationJob job, long deadlineMs) {
    ExecutableAction action = job.action();
    JsonObject value = new JsonObject();
    if (action.defaultParams() != null) {
      action.defaultParams().entrySet().forEach(e -> value.add(e.getKey(), e.getValue()));
    }
    if (job.params() != null) {
      job.params().entrySet().forEach(e -> value.add(e.getKey(), e.getValue()));
    }
    JsonObject body = new JsonObject();
    body.add("value", value);
    body.addProperty("namespace", job.namespace());
    body.addProperty("action_name", "/" + action.path());
    body.addProperty("action_version", action.version());
    body.addProperty("activation_id", job.activationId());
    body.addProperty("transaction_id", job.transactionId());
    // OpenWhisk sends the deadline as a string of digits, not a number.
    body.addProperty("deadline", Long.toString(deadlineMs));
    if (job.apiKey() != null) {
      body.addProperty("api_key", job.apiKey());
    }
    return body;
  }

  private static JsonArray annotations(ActivationJob job, Long initTime, boolean timedOut,
      long waitTime) {
    ExecutableAction action = job.action();
    JsonObject limits = new JsonObject();
    limits.addProperty("concurrency", action.limits().concurrency());
    limits.addProperty("logs", action.limits().logsMb());
    limits.addProperty("memory", action.limits().memoryMb());
    limits.addProperty("timeout", action.limits().timeoutMs());
    JsonArray annotations = new JsonArray();
    add(annotations, "path", new JsonPrimitive(action.path()));
    add(annotations, "waitTime", new JsonPrimitive(Math.max(0, waitTime)));
    add(annotations, "kind", new JsonPrimitive(action.kind()));
    add(annotations, "timeout", new JsonPrimitive(timedOut));
    add(annotations, "limits", limits);
    if (initTime != null) {
      add(annotations, "initTime", new JsonPrimitive(initTime));
    }
    return annotations;
  }

  private static void add(JsonArray annotations, String key, JsonElement value) {
    JsonObject a = new JsonObject();
    a.addProperty("key", key);
    a.add("value", value);
    annotations.add(a);
  }
}
