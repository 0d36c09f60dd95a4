package io.marvel.whisk.platform.controller;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.marvel.whisk.platform.invoker.ActionLimits;
import io.marvel.whisk.platform.invoker.ExecutableAction;

/**
 * An action as the controller stores it. Treat the JSON members as read-only.
 *
 * @param namespace its namespace
 * @param name its simple name
 * @param version {@code major.minor.patch}
 * @param revision unique per stored revision (create or update)
 * @param exec kind, image, entry point and code
 * @param parameters {@code {key, value, init?}} entries
 * @param annotations {@code {key, value}} entries
 * @param limits the limits
 * @param publish the publish flag
 * @param updated epoch ms of the last change
 */
record StoredAction(String namespace, String name, String version, long revision,
    ActionExec exec, JsonArray parameters, JsonArray annotations, ActionLimits limits,
    boolean publish, long updated) {

  ExecutableAction executable() {
    JsonObject defaults = new JsonObject();
    JsonObject initEnv = new JsonObject();
    for (JsonElement p : parameters) {
      JsonObject o = p.getAsJsonObject();
      boolean init = o.has("init") && o.get("init").getAsBoolean();
      (init ? initEnv : defaults).add(o.get("key").getAsString(), o.get("value"));
    }
    return new ExecutableAction(namespace, name, version, Long.toString(revision), exec.kind(),
        exec.image(), exec.main(), exec.code(), exec.binary(), limits, defaults, initEnv);
  }

  /**
   * @return whether the caller's API key goes to the action: when its {@code provide-api-key}
   *     annotation is truthy or absent, as in OpenWhisk (new actions get it set to false)
   */
  boolean providesApiKey() {
    for (JsonElement a : annotations) {
      JsonObject o = a.getAsJsonObject();
      if (o.get("key").getAsString().equals("provide-api-key")) {
        JsonElement v = o.get("value");
        return v != null && v.isJsonPrimitive() && (v.getAsJsonPrimitive().isBoolean()
            ? v.getAsBoolean() : !v.getAsString().isEmpty() && !v.getAsString().equals("false"));
      }
    }
    return true;
  }

  /** @return the action JSON of PUT/GET/DELETE replies */
  JsonObject toJson(boolean withCode) {
    JsonObject o = summary();
    o.add("exec", exec.toJson(withCode));
    o.add("parameters", parameters);
    return o;
  }

  /** @return the list form: no code, no kind except through the {@code exec} annotation */
  JsonObject summary() {
    JsonObject o = new JsonObject();
    o.addProperty("namespace", namespace);
    o.addProperty("name", name);
    o.addProperty("version", version);
    o.addProperty("publish", publish);
    o.add("annotations", annotations);
    JsonObject l = new JsonObject();
    l.addProperty("timeout", limits.timeoutMs());
    l.addProperty("memory", limits.memoryMb());
    l.addProperty("logs", limits.logsMb());
    l.addProperty("concurrency", limits.concurrency());
    if (limits.instances() > 0) {
      l.addProperty("instances", limits.instances());
    }
    o.add("limits", l);
    JsonObject binary = new JsonObject();
    binary.addProperty("binary", exec.binary());
    o.add("exec", binary);
    o.addProperty("updated", updated);
    return o;
  }
}
