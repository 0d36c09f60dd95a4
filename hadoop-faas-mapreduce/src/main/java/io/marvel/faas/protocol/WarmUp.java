package io.marvel.faas.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The warm-up activation of the task action: the client invokes the action with {@link
 * #request()} while a job is still being staged, so that the platform starts the containers the
 * job's first tasks then reuse (a stock OpenWhisk has no other way to start a container ahead of
 * use: it keeps an action's container warm for the action's next activation). The action only
 * loads what a task needs and answers a {@link Reply}; it runs no task and touches no job.
 */
public final class WarmUp {
  /** The one parameter of a warm-up activation; task arguments never have it. */
  public static final String REQUEST_KEY = "marvelWarmUp";

  private WarmUp() {
  }

  /** @return the parameters of a warm-up activation */
  public static JsonObject request() {
    JsonObject json = new JsonObject();
    json.addProperty(REQUEST_KEY, true);
    return json;
  }

  /**
   * @param params an activation's parameters
   * @return true if they ask for a warm-up rather than a task
   */
  public static boolean isRequest(JsonObject params) {
    JsonElement value = params.get(REQUEST_KEY);
    return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()
        && value.getAsBoolean();
  }

  /**
   * What a warm-up did.
   *
   * @param container the container's id, as task results name it
   * @param classesLoaded classes of the task class list loaded
   * @param ms how long the warm-up took inside the action
   */
  public record Reply(String container, int classesLoaded, long ms) {
    /** @return the reply as the action returns it */
    public JsonObject toJson() {
      JsonObject json = new JsonObject();
      json.addProperty(REQUEST_KEY, true);
      json.addProperty("container", container);
      json.addProperty("classesLoaded", classesLoaded);
      json.addProperty("ms", ms);
      return json;
    }

    /**
     * @param json an action's result
     * @return the reply
     * @throws IllegalArgumentException if the result is not a warm-up reply
     */
    public static Reply fromJson(JsonObject json) {
      if (!isRequest(json) || !json.has("container")) {
        throw new IllegalArgumentException("not a warm-up reply: " + json);
      }
      try {
        return new Reply(json.get("container").getAsString(),
            json.has("classesLoaded") ? json.get("classesLoaded").getAsInt() : 0,
            json.has("ms") ? json.get("ms").getAsLong() : 0);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("malformed warm-up reply " + json + ": " + e, e);
      }
    }
  }
}
