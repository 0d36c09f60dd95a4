package io.marvel.whisk.platform.runtime;

import com.google.gson.JsonObject;

/** The error bodies of the action-runtime protocol, worded as OpenWhisk's Java runtime does. */
final class RuntimeReplies {
  static final String INIT_TWICE = "Cannot initialize the action more than once.";
  static final String NOT_INITIALIZED = "Cannot invoke an uninitialized action.";
  static final String MISSING_CODE = "Missing main/no code to execute.";

  private RuntimeReplies() {
  }

  static JsonObject error(String message) {
    JsonObject body = new JsonObject();
    body.addProperty("error", message);
    return body;
  }

  static JsonObject initFailure(Throwable cause) {
    return error("An error has occurred (see logs for details): " + cause);
  }

  static JsonObject runFailure(Throwable cause) {
    return error("An error has occurred while invoking the action (see logs for details): "
        + cause);
  }
}
