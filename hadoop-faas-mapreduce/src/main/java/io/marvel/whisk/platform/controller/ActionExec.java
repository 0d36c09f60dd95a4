package io.marvel.whisk.platform.controller;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code exec} of an action, read as OpenWhisk's controller reads it
 * ({@code Exec.serdes} in {@code common/scala/.../core/entity/Exec.scala}): kind
 * {@code java:8} (or {@code java:default}) needs {@code code} (the jar, base64) and
 * {@code main}; kind {@code blackbox} needs {@code image}, a docker image name, and may carry
 * {@code code} and {@code main}, which then reach {@code /init}. {@code binary} is computed from
 * the code, never taken from the request.
 *
 * @param kind {@code java:8} or {@code blackbox}
 * @param image the image of a blackbox action, as given; null for {@code java:8}
 * @param main the entry point; may be null for blackbox
 * @param code the code; null for a blackbox action without code
 * @param binary whether the code is base64 (OpenWhisk's {@code isBinaryCode})
 */
record ActionExec(String kind, String image, String main, String code, boolean binary) {
  static final String JAVA = "java:8";
  static final String BLACKBOX = "blackbox";
  private static final String MALFORMED = "The request content was malformed:\n";
  private static final Pattern BASE64 = Pattern.compile(
      "([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)");
  /** Docker's reference grammar, as OpenWhisk's {@code ImageName.fromString} parses it. */
  private static final Pattern IMAGE;

  static {
    String path = "[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*";
    String domainPart = "[A-Za-z0-9-]+";
    String domain = "(?:" + domainPart + "(?:\\." + domainPart + ")+(?::[0-9]+)?|"
        + domainPart + ":[0-9]+)";
    String tag = "[\\w][\\w.-]{0,127}";
    String digest = "[A-Za-z][A-Za-z0-9]*(?:[-+._][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    IMAGE = Pattern.compile("(?:" + domain + "/)?" + path + "(?:/" + path + ")*(?::" + tag
        + ")?(?:@" + digest + ")?");
  }

  /**
   * @param exec the {@code exec} object of a PUT body
   * @return the exec
   * @throws ApiException 400 with OpenWhisk's message for a missing or malformed field
   */
  static ActionExec parse(JsonObject exec) throws ApiException {
    JsonElement k = exec.get("kind");
    if (!isString(k)) {
      throw malformed("'kind' must be a string defined in 'exec'");
    }
    String kind = k.getAsString().trim().toLowerCase(Locale.ROOT);
    String main = null;
    if (exec.has("main")) {
      if (!isString(exec.get("main"))) {
        throw malformed("if defined, 'main' be a string in 'exec' for '" + kind + "' actions");
      }
      main = exec.get("main").getAsString();
    }
    if (kind.equals(BLACKBOX)) {
      JsonElement image = exec.get("image");
      if (!isString(image)) {
        throw malformed("'image' must be a string defined in 'exec' for 'blackbox' actions");
      }
      if (!IMAGE.matcher(image.getAsString()).matches()) {
        throw malformed("could not parse image name");
      }
      String code = isString(exec.get("code")) && !exec.get("code").getAsString().isBlank()
          ? exec.get("code").getAsString() : null;
      return new ActionExec(BLACKBOX, image.getAsString(), main, code, isBinary(code));
    }
    if (!kind.equals(JAVA) && !kind.equals("java:default")) {
      throw malformed("The specified runtime '" + kind + "' is not supported by this"
          + " platform. Valid values are: '" + JAVA + "', '" + BLACKBOX + "'.");
    }
    if (!isString(exec.get("code"))) {
      throw malformed("'code' must be a string or attachment object defined in 'exec' for '"
          + kind + "' actions");
    }
    if (main == null) {
      throw malformed("'main' must be a string defined in 'exec' for '" + kind + "' actions");
    }
    String code = exec.get("code").getAsString();
    return new ActionExec(JAVA, null, main, code, isBinary(code));
  }

  /** @return the bytes OpenWhisk counts against its exec size limit: code, main and image */
  long size() {
    return utf8(code) + utf8(main) + utf8(image);
  }

  /** @return the {@code exec} of an action reply, as OpenWhisk writes it */
  JsonObject toJson(boolean withCode) {
    JsonObject o = new JsonObject();
    o.addProperty("kind", kind);
    if (image != null) {
      o.addProperty("image", image);
    }
    if (withCode && code != null) {
      o.addProperty("code", code);
    }
    o.addProperty("binary", binary);
    if (main != null) {
      o.addProperty("main", main);
    }
    return o;
  }

  private static long utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static boolean isBinary(String code) {
    if (code == null) {
      return false;
    }
    String t = code.trim();
    return !t.isEmpty() && BASE64.matcher(t).matches();
  }

  private static boolean isString(JsonElement e) {
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
  }

  private static ApiException malformed(String message) {
    return ApiException.badRequest(MALFORMED + message);
  }
}
