package io.marvel.whisk.client;

import com.google.gson.JsonElement;
import java.util.Map;

/**
 * An action as OpenWhisk describes it.
 *
 * @param namespace its namespace
 * @param name its name
 * @param version its version, e.g. {@code 0.0.2}
 * @param kind the runtime kind, e.g. {@code java:8} (from {@code exec.kind} or the {@code exec}
 *     annotation of a list entry)
 * @param main the entry point, or null when not returned
 * @param memoryMb memory limit in MB
 * @param timeoutMs time limit in ms
 * @param maxInstances {@code limits.instances}, or 0 when not set
 * @param annotations annotation values by key
 * @param updated epoch ms of the last change
 */
public record ActionInfo(String namespace, String name, String version, String kind, String main,
    int memoryMb, int timeoutMs, int maxInstances, Map<String, JsonElement> annotations,
    long updated) {

  /** Copies the annotations. */
  public ActionInfo {
    annotations = Map.copyOf(annotations);
  }

  /** @return the deploy hash this client stored on the action, or null */
  public String deployHash() {
    JsonElement v = annotations.get(WhiskClient.DEPLOY_HASH_ANNOTATION);
    return v == null || !v.isJsonPrimitive() ? null : v.getAsString();
  }
}
