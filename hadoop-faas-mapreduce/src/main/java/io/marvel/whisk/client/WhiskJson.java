package io.marvel.whisk.client;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads OpenWhisk's action and activation JSON into the client's records. */
final class WhiskJson {
  private WhiskJson() {
  }

  static ActionInfo action(JsonObject o) {
    Map<String, JsonElement> annotations = keyValues(o.getAsJsonArray("annotations"));
    JsonObject exec = o.has("exec") ? o.getAsJsonObject("exec") : new JsonObject();
    String kind = str(exec, "kind");
    if (kind == null && annotations.containsKey("exec")) {
      kind = annotations.get("exec").getAsString();
    }
    JsonObject limits = o.has("limits") ? o.getAsJsonObject("limits") : new JsonObject();
    return new ActionInfo(str(o, "namespace"), str(o, "name"), str(o, "version"), kind,
        str(exec, "main"), limits.has("memory") ? limits.get("memory").getAsInt() : 0,
        limits.has("timeout") ? limits.get("timeout").getAsInt() : 0,
        limits.has("instances") ? limits.get("instances").getAsInt() : 0, annotations,
        o.has("updated") ? o.get("updated").getAsLong() : 0);
  }

  static Activation activation(JsonObject o) {
    JsonObject response = o.has("response") ? o.getAsJsonObject("response") : new JsonObject();
    ActivationStatus status;
    if (response.has("status")) {
      status = ActivationStatus.fromWireName(response.get("status").getAsString());
    } else if (response.has("statusCode")) {
      status = ActivationStatus.fromCode(response.get("statusCode").getAsInt());
    } else {
      status = ActivationStatus.fromCode(o.has("statusCode") ? o.get("statusCode").getAsInt()
          : ActivationStatus.WHISK_ERROR.code());
    }
    List<String> logs = logs(o);
    return new Activation(str(o, "activationId"), str(o, "namespace"), str(o, "name"),
        o.has("start") ? o.get("start").getAsLong() : 0,
        o.has("end") ? o.get("end").getAsLong() : 0, status, response.get("result"), logs,
        keyValues(o.has("annotations") && o.get("annotations").isJsonArray()
            ? o.getAsJsonArray("annotations") : null));
  }

  static Map<String, JsonElement> keyValues(JsonArray array) {
    Map<String, JsonElement> map = new HashMap<>();
    if (array != null) {
      for (JsonElement e : array) {
        JsonObject kv = e.getAsJsonObject();
        map.put(kv.get("key").getAsString(), kv.get("value"));
      }
    }
    return map;
  }

  private static String str(JsonObject o, String field) {
    return o.has(field) && o.get(field).isJsonPrimitive() ? o.get(field).getAsString() : null;
  }

  /**
   * @param o an activation record, or the reply of its logs endpoint
   * @return its log lines; none if it has no list of them
   */
  static List<String> logs(JsonObject o) {
    List<String> logs = new ArrayList<>();
    if (o.has("logs") && o.get("logs").isJsonArray()) {
      o.getAsJsonArray("logs").forEach(l -> logs.add(l.isJsonPrimitive() ? l.getAsString()
          : l.toString()));
    }
    return logs;
  }
}
