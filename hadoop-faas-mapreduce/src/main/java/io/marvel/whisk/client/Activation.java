package io.marvel.whisk.client;

import com.google.gson.JsonElement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A completed activation record.
 *
 * @param activationId 32 hex characters
 * @param namespace the invoking namespace
 * @param name the action's name
 * @param start epoch ms of the start (of {@code /init} on a cold start)
 * @param end epoch ms of the end
 * @param status the outcome
 * @param result the result, or an object with an {@code error} key
 * @param logs log lines (empty in the record a blocking invoke returns)
 * @param annotations annotation values by key ({@code waitTime}, {@code initTime}, ...)
 */
public record Activation(String activationId, String namespace, String name, long start,
    long end, ActivationStatus status, JsonElement result, List<String> logs,
    Map<String, JsonElement> annotations) {
  /**
   * Annotation naming the host an activation ran on, added by Marvel's embedded platform when
   * its invoker places containers on (simulated) hosts; a stock OpenWhisk does not add it.
   */
  public static final String HOST_ANNOTATION = "marvel-host";

  /** Copies the collections. */
  public Activation {
    logs = List.copyOf(logs);
    annotations = Map.copyOf(annotations);
  }

  /** @return true if the status is success */
  public boolean success() {
    return status == ActivationStatus.SUCCESS;
  }

  /** @return the host the activation ran on ({@link #HOST_ANNOTATION}), if the record names one */
  public Optional<String> host() {
    JsonElement host = annotations.get(HOST_ANNOTATION);
    return host == null || !host.isJsonPrimitive() ? Optional.empty()
        : Optional.of(host.getAsString());
  }

  /** @return {@code end - start} in ms */
  public long duration() {
    return end - start;
  }

  /** @return the error message of a failed activation's result, or null */
  public String error() {
    if (result != null && result.isJsonObject() && result.getAsJsonObject().has("error")) {
      JsonElement e = result.getAsJsonObject().get("error");
      return e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }
    return null;
  }
}
