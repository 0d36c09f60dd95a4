package io.marvel.whisk.platform.controller;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.marvel.whisk.platform.invoker.ActionLimits;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the body of {@code PUT .../actions/{name}} into a stored action: creates, or merges into
 * the current revision field by field as OpenWhisk does (docs/openwhisk.md, "Actions").
 */
final class ActionUpdate {
  /** Largest exec (code + main), in characters, as OpenWhisk's 48 MB. */
  static final int MAX_EXEC_BYTES = 48 * 1024 * 1024;
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");
  private static final Pattern NAME = Pattern.compile("[\\w][\\w@ .&-]*[\\w@.&-]|[\\w]");
  private static final String JAVA_KIND = "java:8";

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
   * @return the new revision
   * @throws ApiException 400 for invalid fields, 413 for oversized code
   */
  static StoredAction apply(String namespace, String name, StoredAction old, JsonObject body,
      long revision) throws ApiException {
    return apply(namespace, name, old, body, revision, ActionLimits.MAX_MEMORY_MB);
  }

  /**
   * As {@link #apply(String, String, StoredAction, JsonObject, long)} on a platform whose
   * container pool holds {@code poolMemoryMb}: a larger action is refused.
   *
   * @throws ApiException 400 for invalid fields, 413 for oversized code
   */
  static StoredAction apply(String namespace, String name, StoredAction old, JsonObject body,
      long revision, long poolMemoryMb) throws ApiException {
    JsonObject exec = object(body, "exec");
    if (old == null && exec == null) {
      throw ApiException.badRequest("The request content was malformed:\n'exec' must be defined"
          + " when creating an action.");
    }
    String kind = old == null ? null : old.kind();
    String main = old == null ? null : old.main();
    String code = old == null ? null : old.code();
    if (exec != null) {
      kind = kind(string(exec, "kind"));
      main = string(exec, "main");
      code = string(exec, "code");
      if (main == null || main.isBlank()) {
        throw ApiException.badRequest("The request content was malformed:\n'main' is required"
            + " for kind " + JAVA_KIND + ": name the action's class (Class or Class#method).");
      }
      if (code == null || code.isBlank()) {
        throw ApiException.badRequest("The request content was malformed:\n'code' is required"
            + " for kind " + JAVA_KIND + ": send the jar, base64 encoded.");
      }
      if (code.length() + main.length() > MAX_EXEC_BYTES) {
        throw new ApiException(413, "Request larger than allowed: exec "
            + (code.length() + main.length()) + " > " + MAX_EXEC_BYTES + " bytes.");
      }
    }
    ActionLimits limits = limits(old == null ? ActionLimits.DEFAULT : old.limits(),
        object(body, "limits"), poolMemoryMb);
    JsonArray parameters = body.has("parameters") ? keyValues(body, "parameters")
        : old == null ? new JsonArray() : old.parameters();
    JsonArray annotations = annotations(old, body, kind);
    String version = old == null ? "0.0.1" : bump(old.version());
    boolean publish = body.has("publish") ? body.get("publish").getAsBoolean()
        : old != null && old.publish();
    String trimmed = code.trim();
    boolean binary = !trimmed.isEmpty() && trimmed.length() % 4 == 0
        && BASE64.matcher(trimmed).matches();
    return new StoredAction(namespace, name, version, revision, kind, main, code, binary,
        parameters, annotations, limits, publish, System.currentTimeMillis());
  }

  private static String kind(String requested) throws ApiException {
    String k = requested == null ? "" : requested.trim().toLowerCase(Locale.ROOT);
    if (k.equals("java:default") || k.equals(JAVA_KIND)) {
      return JAVA_KIND;
    }
    throw ApiException.badRequest("The request content was malformed:\nkind '" + requested
        + "' not in Set(" + JAVA_KIND + ")");
  }

  private static ActionLimits limits(ActionLimits base, JsonObject given, long poolMemoryMb)
      throws ApiException {
    if (given == null) {
      return base;
    }
    try {
      return new ActionLimits(intOr(given, "timeout", base.timeoutMs()),
          intOr(given, "memory", base.memoryMb()), intOr(given, "logs", base.logsMb()),
          intOr(given, "concurrency", base.concurrency()),
          intOr(given, "instances", base.instances())).validate(poolMemoryMb);
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
