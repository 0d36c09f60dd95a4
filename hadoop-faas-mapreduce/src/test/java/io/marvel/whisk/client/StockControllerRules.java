package io.marvel.whisk.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a stock Apache OpenWhisk controller accepts as the body of an action create
 * ({@code PUT .../actions/NAME}), written down as facts from its sources (apache/openwhisk at
 * 1fae641a2b30; paths relative to that repository) so that a test can hold Marvel's request
 * against them. Only what a create of a Marvel action touches is encoded; each rule names its
 * source. Public for the faas client's tests.
 */
public final class StockControllerRules {
  /**
   * Kinds a stock deployment knows: its runtime manifest's ({@code ansible/files/runtimes.json},
   * of which Java has only {@code java:8}; others omitted here) plus the two intrinsic kinds
   * {@code sequence} and {@code blackbox}
   * ({@code common/scala/src/main/scala/org/apache/openwhisk/core/entity/Exec.scala}, the
   * {@code runtimes} set of {@code Exec.serdes}; any other kind is refused with
   * {@code Messages.invalidRuntimeError}).
   */
  static final Set<String> JAVA_AND_INTRINSIC_KINDS = Set.of("java:8", "sequence", "blackbox");
  /**
   * The base64 test that decides {@code binary} (strict alphabet, padded, a multiple of 4
   * long): {@code Exec.isBase64Pattern} and {@code Exec.isBinaryCode} in {@code Exec.scala}.
   * The server ignores a {@code binary} sent by the client for a string {@code code}.
   */
  static final Pattern BASE64 = Pattern.compile(
      "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$");
  /**
   * Largest exec: code plus main plus (for blackbox) the image name, 48 MB
   * ({@code Exec.maxSize} in {@code Exec.scala}; {@code whisk.exec-size-limit = 48 m} in
   * {@code common/scala/src/main/resources/application.conf}; checked by
   * {@code LimitedWhiskEntityPut} in {@code core/entity/WhiskEntity.scala}, 413 beyond).
   */
  static final long MAX_EXEC_BYTES = 48L * 1024 * 1024;
  /**
   * Largest parameters, and annotations, of an entity: 1 MB ({@code parameter-size-limit} in
   * {@code application.conf}; {@code LimitedWhiskEntityPut} in {@code WhiskEntity.scala}).
   */
  static final long MAX_ANNOTATION_BYTES = 1024L * 1024;
  /**
   * Action limits a stock deployment grants ({@code whisk.memory}, {@code whisk.time-limit},
   * {@code whisk.log-limit}, {@code whisk.concurrency-limit} in {@code application.conf}; the
   * checks in {@code core/entity/MemoryLimit.scala}, {@code TimeLimit.scala},
   * {@code LogLimit.scala}, {@code IntraConcurrencyLimit.scala}, each a whole number).
   */
  static final long MIN_MEMORY_MB = 128;
  static final long MAX_MEMORY_MB = 512;
  static final long MIN_TIMEOUT_MS = 100;
  static final long MAX_TIMEOUT_MS = 300_000;
  static final long MIN_LOGS_MB = 0;
  static final long MAX_LOGS_MB = 10;
  static final long MIN_CONCURRENCY = 1;
  static final long MAX_CONCURRENCY = 1;
  /**
   * Entity names: first a letter, digit or underscore, then also {@code @ . - &} and spaces, not
   * ending in a space, at most 256 characters ({@code core/entity/EntityPath.scala}).
   */
  static final Pattern ENTITY_NAME =
      Pattern.compile("\\w|\\w[\\w@ .&-]{0,254}[\\w@.&-]");

  private StockControllerRules() {
  }

  /**
   * @param name the action's name in the URL
   * @param body the PUT body
   * @return every rule the body breaks, empty if a stock controller accepts it
   */
  public static List<String> violations(String name, JsonObject body) {
    List<String> out = new ArrayList<>();
    if (!ENTITY_NAME.matcher(name).matches()) {
      out.add("name '" + name + "' is not an entity name (EntityPath.scala)");
    }
    if (!body.has("exec") || !body.get("exec").isJsonObject()) {
      out.add("exec is required to create an action (Actions.scala)");
      return out;
    }
    JsonObject exec = body.getAsJsonObject("exec");
    String kind = exec.has("kind") && isString(exec.get("kind"))
        ? exec.get("kind").getAsString().trim().toLowerCase(Locale.ROOT) : null;
    if (kind == null) {
      out.add("'kind' must be a string defined in 'exec' (Exec.scala)");
    } else if (!JAVA_AND_INTRINSIC_KINDS.contains(kind)) {
      out.add("kind '" + kind + "' is not a runtime of a stock deployment (Exec.scala)");
    }
    if ("blackbox".equals(kind)) {
      if (!exec.has("image") || !isString(exec.get("image"))) {
        out.add("'image' must be a string defined in 'exec' for 'blackbox' actions (Exec.scala)");
      } else if (!DockerImageName.isValid(exec.get("image").getAsString())) {
        out.add("image '" + exec.get("image").getAsString() + "' does not parse"
            + " (ImageName.fromString, ExecManifest.scala)");
      }
    }
    if ("java:8".equals(kind) && (!exec.has("main") || !exec.has("code"))) {
      out.add("java:8 requires 'main' and 'code' (Exec.scala, runtimes.json requireMain)");
    }
    if (exec.has("main") && !isString(exec.get("main"))) {
      out.add("if defined, 'main' must be a string in 'exec' (Exec.scala)");
    }
    long execBytes = 0;
    for (String field : List.of("code", "main", "image")) {
      if (exec.has(field) && isString(exec.get(field))) {
        execBytes += exec.get(field).getAsString().getBytes(StandardCharsets.UTF_8).length;
      }
    }
    if (execBytes > MAX_EXEC_BYTES) {
      out.add("exec is " + execBytes + " bytes, over " + MAX_EXEC_BYTES + " (413)");
    }
    if (body.has("limits")) {
      JsonObject limits = body.getAsJsonObject("limits");
      range(out, limits, "memory", MIN_MEMORY_MB, MAX_MEMORY_MB);
      range(out, limits, "timeout", MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
      range(out, limits, "logs", MIN_LOGS_MB, MAX_LOGS_MB);
      range(out, limits, "concurrency", MIN_CONCURRENCY, MAX_CONCURRENCY);
    }
    if (body.has("annotations")) {
      long bytes = body.get("annotations").toString().getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_ANNOTATION_BYTES) {
        out.add("annotations are " + bytes + " bytes, over " + MAX_ANNOTATION_BYTES + " (413)");
      }
      body.getAsJsonArray("annotations").forEach(a -> {
        if (!a.isJsonObject() || !a.getAsJsonObject().has("key")
            || !a.getAsJsonObject().has("value")) {
          out.add("annotation " + a + " is not {\"key\", \"value\"} (Parameter.scala)");
        }
      });
    }
    return out;
  }

  /**
   * @param exec the {@code exec} of a PUT body
   * @return the {@code binary} flag the controller derives (Exec.isBinaryCode)
   */
  public static boolean binary(JsonObject exec) {
    if (!exec.has("code") || !isString(exec.get("code"))) {
      return false;
    }
    String code = exec.get("code").getAsString().trim();
    return !code.isEmpty() && code.length() % 4 == 0 && BASE64.matcher(code).matches();
  }

  private static void range(List<String> out, JsonObject limits, String field, long min,
      long max) {
    if (!limits.has(field)) {
      return;
    }
    JsonElement e = limits.get(field);
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()
        || e.getAsDouble() != Math.rint(e.getAsDouble())) {
      out.add("limits." + field + " must be a whole number");
    } else if (e.getAsLong() < min || e.getAsLong() > max) {
      out.add("limits." + field + " = " + e.getAsLong() + " is outside " + min + " to " + max);
    }
  }

  private static boolean isString(JsonElement e) {
    return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
  }
}
