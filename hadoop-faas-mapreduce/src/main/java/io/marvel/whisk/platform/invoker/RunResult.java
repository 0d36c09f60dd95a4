package io.marvel.whisk.platform.invoker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.marvel.whisk.client.ActivationStatus;
import java.nio.charset.StandardCharsets;

/**
 * The classified outcome of a runtime reply, following OpenWhisk's
 * {@code processRunResponseContent} (docs/openwhisk.md, "Activation records").
 *
 * @param status the activation status
 * @param result the result, or an object with an {@code error} key
 * @param size the byte length of the raw reply, or -1
 */
record RunResult(ActivationStatus status, JsonElement result, long size) {
  /** Largest result in bytes; longer ones become an application error. */
  static final int MAX_RESULT_BYTES = 1024 * 1024;

  /** Classifies a {@code /run} reply. */
  static RunResult ofRun(int httpStatus, String body) {
    int bytes = body.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_RESULT_BYTES) {
      String cut = body.substring(0, Math.min(body.length(), MAX_RESULT_BYTES));
      return failure(ActivationStatus.APPLICATION_ERROR, "The action produced a response that"
          + " exceeded the allowed length: " + bytes + " > " + MAX_RESULT_BYTES + " bytes."
          + " The truncated response was: " + cut, bytes);
    }
    JsonElement json = parse(body);
    if (httpStatus != 200) {
      if (json != null && json.isJsonObject() && json.getAsJsonObject().has("error")) {
        return withError(ActivationStatus.DEVELOPER_ERROR, json.getAsJsonObject().get("error"),
            bytes);
      }
      return invalidJson(body, bytes);
    }
    if (json != null && json.isJsonArray()) {
      return new RunResult(ActivationStatus.SUCCESS, json, bytes);
    }
    if (json == null || !json.isJsonObject()) {
      return invalidJson(body, bytes);
    }
    JsonObject object = json.getAsJsonObject();
    if (object.has("error")) {
      return withError(ActivationStatus.APPLICATION_ERROR, object.get("error"), bytes);
    }
    return new RunResult(ActivationStatus.SUCCESS, object, bytes);
  }

  /** Classifies a failed {@code /init} reply (any status but 200). */
  static RunResult ofInitFailure(String body) {
    JsonElement json = parse(body);
    if (json != null && json.isJsonObject() && json.getAsJsonObject().has("error")) {
      return withError(ActivationStatus.DEVELOPER_ERROR, json.getAsJsonObject().get("error"), -1);
    }
    return invalidJson(body, -1);
  }

  /** @return a result {@code {"error": message}} with the given status */
  static RunResult failure(ActivationStatus status, String message, long size) {
    JsonObject error = new JsonObject();
    error.addProperty("error", message);
    return new RunResult(status, error, size);
  }

  private static RunResult withError(ActivationStatus status, JsonElement error, long size) {
    JsonObject result = new JsonObject();
    result.add("error", error);
    return new RunResult(status, result, size);
  }

  private static RunResult invalidJson(String body, long size) {
    return failure(ActivationStatus.DEVELOPER_ERROR,
        "The action did not produce a valid JSON response: " + body, size);
  }

  private static JsonElement parse(String body) {
    try {
      return JsonParser.parseString(body);
    } catch (JsonParseException e) {
      return null;
    }
  }
}
