package io.marvel.whisk.platform.controller;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.marvel.whisk.platform.invoker.ActionLimits;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the body of {@code PUT .../actions/{name}} into a stored action: creates, or merges into
 * the current revision field by field as OpenWhisk does (docs/openwhisk.md, "Actions").
 */
final class ActionUpdate {
  private static final Pattern NAME = Pattern.compile("[\\w][\\w@ .&-]*[\\w@.&-]|[\\w]");

  private ActionUpdate() {
  }

  /**
   * Checks an entity name.
   *
   * @throws ApiException 400 naming the rule
   */
  static void checkName(String name) throws ApiException {
    if (name.length() > 256 || !NAME.matcher(name).matches()) {
      throw ApiException.badRequest("The name '" + name + "' is not valid: use letters, digits,"
          + " '_', '@', '.', '-', '&' and inner spaces, starting with a letter, digit or '_',"
          + " at most 256 characters.");
    }
  }

  /**
   * @param old the current revision, or null to create
   * @param body the PUT body
   * @param revision the new revision number
   * @param limits the namespace's limits
   * @return the new revision
   * @throws ApiException 400 for invalid fields or limits out of range, 413 for oversized code,
   *     parameters or annotations
   */
  static StoredAction apply(String namespace, String name, StoredAction old, JsonObject body,
      long revision, NamespaceLimits limits) throws ApiException {
    JsonObject execJson = object(body, "exec");
    if (old == null && execJson == null) {
      throw ApiException.badRequest("The request content was malformed:\n'exec' must be defined"
          + " when creating an action.");
    }
    ActionExec exec = execJson == null ? old.exec() : ActionExec.parse(execJson);
    JsonArray parameters = body.has("parameters") ? keyValues(body, "parameters")
        : old == null ? new JsonArray() : old.parameters();
    checkSizes(exec, execJson != null, body.has("parameters") ? parameters : null,
        body.has("annotations") ? keyValues(body, "annotations") : null, limits);
    ActionLimits actionLimits = limits(old == null ? limits.standard() : old.limits(),
        object(body, "limits"));
    if (body.has("limits")) {
      limits.check(actionLimits);
    }
    JsonArray annotations = annotations(old, body, exec.kind());
    String version = old == null ? "0.0.1" : bump(old.version());
    boolean publish = body.has("publish") ? body.get("publish").getAsBoolean()
        : old != null && old.publish();
    return new StoredAction(namespace, name, version, revision, exec, parameters, annotations,
        actionLimits, publish, System.currentTimeMillis());
  }

  /** Checks exec, then parameters, then annotations, as OpenWhisk's LimitedWhiskEntityPut. */
  private static void checkSizes(ActionExec exec, boolean newExec, JsonArray parameters,
      JsonArray annotations, NamespaceLimits limits) throws ApiException {
    if (newExec && exec.size() > limits.maxExecBytes()) {
      throw tooLarge("exec", exec.size(), limits.maxExecBytes());
    }
    if (parameters != null && size(parameters) > limits.maxParameterBytes()) {
      throw tooLarge("parameters", size(parameters), limits.maxParameterBytes());
    }
    if (annotations != null && size(annotations) > limits.maxParameterBytes()) {
      throw tooLarge("annotations", size(annotations), limits.maxParameterBytes());
    }
  }

  private static ApiException tooLarge(String field, long size, long allowed) {
    return new ApiException(413, field + " larger than allowed: " + size + " > " + allowed
        + " bytes.");
  }

  /** @return the size OpenWhisk counts for key/value entries: each key and compact value */
  private static long size(JsonArray keyValues) {
    long total = 0;
    for (JsonElement kv : keyValues) {
      JsonObject o = kv.getAsJsonObject();
      total += utf8(o.get("key").getAsString());
      total += o.has("value") ? utf8(o.get("value").toString()) : 0;
    }
    return total;
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static ActionLimits limits(ActionLimits base, JsonObject given) throws ApiException {
    if (given == null) {
      return base;
    }
    try {
      return new ActionLimits(intOr(given, "timeout", base.timeoutMs()),
          intOr(given, "memory", base.memoryMb()), intOr(given, "logs", base.logsMb()),
          intOr(given, "concurrency", base.concurrency()),
          intOr(given, "instances", base.instances()));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("The request content was malformed:\n" + e.getMessage());
    }
  }

  private static JsonArray annotations(StoredAction old, JsonObject body, String kind)
      throws ApiException {
    Map<String, JsonElement> merged = new LinkedHashMap<>();
    if (old != null) {
      old.annotations().forEach(a -> merged.put(a.getAsJsonObject().get("key").getAsString(),
          a.getAsJsonObject().get("value")));
    }
    if (body.has("annotations")) {
      keyValues(body, "annotations").forEach(a -> merged.put(
          a.getAsJsonObject().get("key").getAsString(), a.getAsJsonObject().get("value")));
    }
    if (body.has("delAnnotations") && body.get("delAnnotations").isJsonArray()) {
      body.getAsJsonArray("delAnnotations").forEach(k -> merged.remove(k.getAsString()));
    }
    merged.put("exec", new JsonPrimitive(kind));
    if (old == null) {
      merged.putIfAbsent("provide-api-key", new JsonPrimitive(false));
    }
    JsonArray out = new JsonArray();
    merged.forEach((k, v) -> {
      JsonObject a = new JsonObject();
      a.addProperty("key", k);
      a.add("value", v);
      out.add(a);
    });
    return out;
  }

  private static JsonArray keyValues(JsonObject body, String field) throws ApiException {
    JsonElement e = body.get(field);
    if (!e.isJsonArray()) {
      throw ApiException.badRequest("The request content was malformed:\n'" + field
          + "' must be an array of {\"key\", \"value\"} objects.");
    }
    for (JsonElement kv : e.getAsJsonArray()) {
      if (!kv.isJsonObject() || !kv.getAsJsonObject().has("key")) {
        throw ApiException.badRequest("The request content was malformed:\n'" + field
            + "' must be an array of {\"key\", \"value\"} objects.");
      }
    }
    return e.getAsJsonArray();
  }

  private static String bump(String version) {
    String[] parts = version.split("\\.");
    parts[2] = Integer.toString(Integer.parseInt(parts[2]) + 1);
    return String.join(".", parts);
  }

  private static JsonObject object(JsonObject body, String field) throws ApiException {
    if (!body.has(field) || body.get(field).isJsonNull()) {
      return null;
    }
    if (!body.get(field).isJsonObject()) {
      throw ApiException.badRequest("The request content was malformed:\n'" + field
          + "' must be an object.");
    }
    return body.getAsJsonObject(field);
  }

  private static String string(JsonObject o, String field) {
    return o.has(field) && o.get(field).isJsonPrimitive() ? o.get(field).getAsString() : null;
  }

  private static int intOr(JsonObject o, String field, int fallback) {
    try {
      return o.has(field) ? o.get(field).getAsInt() : fallback;
    } catch (NumberFormatException | UnsupportedOperationException e) {
      throw new IllegalArgumentException(field + " must be an integer, got " + o.get(field), e);
    }
  }
}
