package io.marvel.whisk.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A namespace's limits as OpenWhisk's controller reports them on
 * {@code GET /api/v1/namespaces/_/limits} ({@code core/controller/.../controller/Limits.scala},
 * the fields of {@code UserLimits} in {@code common/scala/.../core/entity/Identity.scala}).
 * Every controller since 1.0 sends the three throttles; the action limits (memory in MB,
 * timeout in ms, logs in MB, activations per container, parameter size) came with 2.0, so an
 * older controller leaves them out, and each is empty then.
 *
 * @param invocationsPerMinute {@code invocationsPerMinute}: invokes per minute
 * @param concurrentInvocations {@code concurrentInvocations}: activations in flight
 * @param firesPerMinute {@code firesPerMinute}: trigger fires per minute
 * @param memoryMb {@code minActionMemory} to {@code maxActionMemory}, MB
 * @param timeoutMs {@code minActionTimeout} to {@code maxActionTimeout}, ms
 * @param logsMb {@code minActionLogs} to {@code maxActionLogs}, MB
 * @param concurrency {@code minActionConcurrency} to {@code maxActionConcurrency}: activations
 *     one container may run at once
 * @param maxParameterSize {@code maxParameterSize} as sent, e.g. {@code "1048576 B"}
 */
public record NamespaceLimits(OptionalLong invocationsPerMinute,
    OptionalLong concurrentInvocations, OptionalLong firesPerMinute, Optional<Range> memoryMb,
    Optional<Range> timeoutMs, Optional<Range> logsMb, Optional<Range> concurrency,
    Optional<String> maxParameterSize) {

  /**
   * A stock deployment's limits: the defaults of {@code whisk.memory}, {@code whisk.time-limit},
   * {@code whisk.log-limit} and {@code whisk.concurrency-limit} in
   * {@code common/scala/src/main/resources/application.conf}, and of
   * {@code limits.concurrentInvocations} (30), {@code invocationsPerMinute} (60) and
   * {@code firesPerMinute} (60) in {@code ansible/group_vars/all}.
   */
  public static final NamespaceLimits STOCK = new NamespaceLimits(OptionalLong.of(60),
      OptionalLong.of(30), OptionalLong.of(60), Optional.of(new Range(128, 512)),
      Optional.of(new Range(100, 300_000)), Optional.of(new Range(0, 10)),
      Optional.of(new Range(1, 1)), Optional.of("1048576 B"));

  /**
   * An inclusive range.
   *
   * @param min the smallest value allowed
   * @param max the largest value allowed
   */
  public record Range(long min, long max) {
    /** @param value a value @return true if it lies within the range */
    public boolean contains(long value) {
      return value >= min && value <= max;
    }

    @Override
    public String toString() {
      return min + " to " + max;
    }
  }

  /**
   * @param o the reply's JSON object
   * @return the limits it reports
   * @throws IllegalArgumentException naming a field that is not what OpenWhisk sends (a whole
   *     number; a string for {@code maxParameterSize})
   */
  static NamespaceLimits fromJson(JsonObject o) {
    return new NamespaceLimits(number(o, "invocationsPerMinute"),
        number(o, "concurrentInvocations"), number(o, "firesPerMinute"),
        range(o, "minActionMemory", "maxActionMemory"),
        range(o, "minActionTimeout", "maxActionTimeout"),
        range(o, "minActionLogs", "maxActionLogs"),
        range(o, "minActionConcurrency", "maxActionConcurrency"),
        string(o, "maxParameterSize"));
  }

  /** Both ends, or neither: one without the other would be a controller Marvel does not know. */
  private static Optional<Range> range(JsonObject o, String minField, String maxField) {
    OptionalLong min = number(o, minField);
    OptionalLong max = number(o, maxField);
    if (min.isPresent() != max.isPresent()) {
      throw new IllegalArgumentException("it has " + (min.isPresent() ? minField : maxField)
          + " without " + (min.isPresent() ? maxField : minField));
    }
    return min.isPresent() ? Optional.of(new Range(min.getAsLong(), max.getAsLong()))
        : Optional.empty();
  }

  private static OptionalLong number(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      return OptionalLong.empty();
    }
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      double d = p.getAsDouble();
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return OptionalLong.of(p.getAsLong());
      }
    }
    throw new IllegalArgumentException("its " + field + " is " + e + ", not a whole number");
  }

  private static Optional<String> string(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      return Optional.empty();
    }
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
      return Optional.of(e.getAsString());
    }
    throw new IllegalArgumentException("its " + field + " is " + e + ", not a string");
  }
}
