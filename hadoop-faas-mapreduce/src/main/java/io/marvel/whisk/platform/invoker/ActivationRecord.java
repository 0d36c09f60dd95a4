package io.marvel.whisk.platform.invoker;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import io.marvel.whisk.client.ActivationStatus;
import java.util.List;

/**
 * A completed activation, with the fields of OpenWhisk's activation record (docs/openwhisk.md,
 * "Activation records"). Treat the JSON members as read-only.
 *
 * @param activationId 32 lowercase hex characters
 * @param namespace the invoking namespace
 * @param name the action's simple name
 * @param subject the invoking subject
 * @param version the action's version at invoke time
 * @param start epoch ms of the start of {@code /init} (cold) or {@code /run} (warm)
 * @param end epoch ms of the end of {@code /run}
 * @param status the outcome
 * @param result the action's result, or an object with an {@code error} key
 * @param size byte length of the raw result text, or -1 when unknown
 * @param logs formatted log lines
 * @param annotations {@code {key, value}} pairs: path, kind, limits, timeout, waitTime, initTime,
 *     and marvel-host when the container was placed on a host
 */
public record ActivationRecord(String activationId, String namespace, String name,
    String subject, String version, long start, long end, ActivationStatus status,
    JsonElement result, long size, List<String> logs, JsonArray annotations) {

  /** Copies the log list. */
  public ActivationRecord {
    logs = List.copyOf(logs);
  }

  /** @return {@code end - start} in ms */
  public long duration() {
    return end - start;
  }
}
