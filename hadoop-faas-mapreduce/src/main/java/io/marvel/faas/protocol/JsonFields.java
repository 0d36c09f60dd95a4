package io.marvel.faas.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Typed reads of required and optional members of action JSON, with messages naming the key. */
final class JsonFields {
  private JsonFields() {
  }

  static JsonElement required(JsonObject json, String key) {
    JsonElement element = json.get(key);
    if (element == null || element.isJsonNull()) {
      throw new IllegalArgumentException("action JSON lacks required member '" + key + "'");
    }
    return element;
  }

  static String string(JsonObject json, String key) {
    return primitive(json, key).getAsString();
  }

  static String optionalString(JsonObject json, String key) {
    JsonElement element = json.get(key);
    return element == null || element.isJsonNull() ? null : element.getAsString();
  }

  static long longValue(JsonObject json, String key) {
    try {
      return primitive(json, key).getAsLong();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("action JSON member '" + key + "' is not a number: "
          + json.get(key), e);
    }
  }

  static int intValue(JsonObject json, String key) {
    long value = longValue(json, key);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("action JSON member '" + key + "' out of int range: "
          + value);
    }
    return (int) value;
  }

  static boolean bool(JsonObject json, String key) {
    return primitive(json, key).getAsBoolean();
  }

  static JsonObject object(JsonObject json, String key) {
    JsonElement element = required(json, key);
    if (!element.isJsonObject()) {
      throw new IllegalArgumentException("action JSON member '" + key + "' is not an object");
    }
    return element.getAsJsonObject();
  }

  private static JsonElement primitive(JsonObject json, String key) {
    JsonElement element = required(json, key);
    if (!element.isJsonPrimitive()) {
      throw new IllegalArgumentException("action JSON member '" + key
          + "' is not a string, number or boolean");
    }
    return element;
  }
}
