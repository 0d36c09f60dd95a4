package io.marvel.whisk.platform.controller;

import com.google.gson.JsonObject;
import io.marvel.whisk.platform.invoker.ActionLimits;
import io.marvel.whisk.platform.settings.PlatformSettings;
import io.marvel.whisk.platform.settings.SystemLimits;

/**
 * The limits of the platform's namespace: the platform's {@link SystemLimits}, with the largest
 * action memory capped at the container pool (an action larger than the pool could never run).
 * Checks an action's limits as OpenWhisk's controller does on create and update
 * ({@code checkActionLimits} in {@code core/controller/.../controller/Actions.scala}, the
 * {@code checkNamespaceLimit} of {@code MemoryLimit.scala}, {@code TimeLimit.scala},
 * {@code LogLimit.scala} and {@code IntraConcurrencyLimit.scala}, with the messages of
 * {@code common/scala/.../http/ErrorResponse.scala}), and answers {@code GET .../limits} with
 * the fields of OpenWhisk's {@code UserLimits} ({@code core/controller/.../Limits.scala},
 * {@code common/scala/.../core/entity/Identity.scala}). Immutable.
 */
final class NamespaceLimits {
  private final SystemLimits system;
  private final int maxMemoryMb;
  private final int invocationsPerMinute;
  private final int concurrentInvocations;

  NamespaceLimits(PlatformSettings settings) {
    this.system = settings.limits();
    this.maxMemoryMb = (int) Math.min(system.maxMemoryMb(), settings.poolMemoryMb());
    this.invocationsPerMinute = settings.invocationsPerMinute();
    this.concurrentInvocations = settings.concurrentInvocations();
  }

  /** @return the limits of an action that sets none */
  ActionLimits standard() {
    return ActionLimits.standard(system);
  }

  /** @return the largest invoke payload in bytes */
  long maxPayloadBytes() {
    return system.maxPayloadBytes();
  }

  /** @return the largest code plus entry point of an action, in bytes */
  long maxExecBytes() {
    return system.maxExecBytes();
  }

  /** @return the largest size of an action's parameters, and of its annotations, in bytes */
  long maxParameterBytes() {
    return system.maxParameterBytes();
  }

  /**
   * Checks memory, then time, then logs, then concurrency, as OpenWhisk does.
   *
   * @param l the limits of an action
   * @throws ApiException 400 with OpenWhisk's message for the first limit out of range
   */
  void check(ActionLimits l) throws ApiException {
    if (l.memoryMb() > maxMemoryMb) {
      throw ApiException.badRequest("memory size " + l.memoryMb()
          + " MB exceeds allowed threshold of " + maxMemoryMb + " MB");
    }
    if (l.memoryMb() < system.minMemoryMb()) {
      throw ApiException.badRequest("memory size " + l.memoryMb()
          + " MB below allowed threshold of " + system.minMemoryMb() + " MB");
    }
    if (l.timeoutMs() > system.maxTimeoutMs()) {
      throw ApiException.badRequest("duration " + l.timeoutMs()
          + " milliseconds exceeds allowed threshold of " + system.maxTimeoutMs()
          + " milliseconds");
    }
    if (l.timeoutMs() < system.minTimeoutMs()) {
      throw ApiException.badRequest("duration " + l.timeoutMs()
          + " milliseconds below allowed threshold of " + system.minTimeoutMs()
          + " milliseconds");
    }
    if (l.logsMb() > system.maxLogsMb()) {
      throw ApiException.badRequest("log size " + l.logsMb()
          + " MB exceeds allowed threshold of " + system.maxLogsMb() + " MB");
    }
    if (l.logsMb() < system.minLogsMb()) {
      throw ApiException.badRequest("log size " + l.logsMb()
          + " MB below allowed threshold of " + system.minLogsMb() + " MB");
    }
    if (l.concurrency() > system.maxConcurrency()) {
      throw ApiException.badRequest("concurrency " + l.concurrency()
          + " exceeds allowed threshold of " + system.maxConcurrency());
    }
    if (l.concurrency() < system.minConcurrency()) {
      throw ApiException.badRequest("concurrency " + l.concurrency()
          + " below allowed threshold of " + system.minConcurrency());
    }
    if (l.instances() < 0) {
      throw ApiException.badRequest("instances " + l.instances() + " is out of range; allowed:"
          + " 0 (no limit) or more");
    }
  }

  /**
   * @return the reply of {@code GET .../limits}: OpenWhisk's field names and units (memory and
   *     logs in MB, time in ms, the parameter size as a size string), in its order
   */
  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("invocationsPerMinute", invocationsPerMinute);
    o.addProperty("concurrentInvocations", concurrentInvocations);
    o.addProperty("firesPerMinute", invocationsPerMinute);
    o.addProperty("minActionMemory", system.minMemoryMb());
    o.addProperty("maxActionMemory", maxMemoryMb);
    o.addProperty("minActionLogs", system.minLogsMb());
    o.addProperty("maxActionLogs", system.maxLogsMb());
    o.addProperty("minActionTimeout", system.minTimeoutMs());
    o.addProperty("maxActionTimeout", system.maxTimeoutMs());
    o.addProperty("minActionConcurrency", system.minConcurrency());
    o.addProperty("maxActionConcurrency", system.maxConcurrency());
    // OpenWhisk writes a ByteSize read from its configuration as "<bytes> B".
    o.addProperty("maxParameterSize", system.maxParameterBytes() + " B");
    o.addProperty("maxActionInstances", concurrentInvocations);
    return o;
  }
}
