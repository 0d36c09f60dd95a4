package io.marvel.whisk.platform.controller;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.marvel.whisk.platform.invoker.ActivationRecord;

/**
 * The JSON forms of an activation record over the REST API (docs/openwhisk.md, "Activation
 * records").
 */
final class ActivationJson {
  private ActivationJson() {
  }

  static JsonObject response(ActivationRecord r) {
    JsonObject response = new JsonObject();
    response.add("result", r.result());
    if (r.size() >= 0) {
      response.addProperty("size", r.size());
    }
    response.addProperty("status", r.status().wireName());
    response.addProperty("success", r.status().code() == 0);
    return response;
  }

  static JsonObject full(ActivationRecord r, boolean withLogs) {
    JsonObject o = summary(r);
    o.remove("statusCode");
    o.addProperty("subject", r.subject());
    o.add("response", response(r));
    JsonArray logs = new JsonArray();
    if (withLogs) {
      r.logs().forEach(logs::add);
    }
    o.add("logs", logs);
    return o;
  }

  static JsonObject summary(ActivationRecord r) {
    JsonObject o = new JsonObject();
    o.addProperty("namespace", r.namespace());
    o.addProperty("name", r.name());
    o.addProperty("version", r.version());
    o.addProperty("publish", false);
    o.add("annotations", r.annotations());
    o.addProperty("activationId", r.activationId());
    o.addProperty("start", r.start());
    o.addProperty("end", r.end());
    o.addProperty("duration", r.duration());
    o.addProperty("statusCode", r.status().code());
    return o;
  }
}
