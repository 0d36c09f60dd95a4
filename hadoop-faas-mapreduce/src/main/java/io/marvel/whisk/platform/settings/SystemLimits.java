package io.marvel.whisk.platform.settings;

/**
 * The action limits a deployment grants, in OpenWhisk's units: what {@code PUT .../actions}
 * accepts, what an action gets when it asks for nothing, and what
 * {@code GET .../namespaces/_/limits} reports. {@link #STOCK} holds the values of a stock
 * OpenWhisk ({@code whisk.memory}, {@code whisk.time-limit}, {@code whisk.log-limit},
 * {@code whisk.concurrency-limit}, {@code whisk.parameter-size-limit},
 * {@code whisk.exec-size-limit} and {@code whisk.activation.payload.max} in
 * {@code common/scala/src/main/resources/application.conf} of apache/openwhisk); an operator
 * changes them with the same {@code CONFIG_whisk_*} names ({@link OperatorConfig}).
 *
 * @param minMemoryMb smallest action memory, MB
 * @param maxMemoryMb largest action memory, MB
 * @param stdMemoryMb memory of an action that sets none, MB
 * @param minTimeoutMs smallest time limit, ms
 * @param maxTimeoutMs largest time limit, ms
 * @param stdTimeoutMs time limit of an action that sets none, ms
 * @param minLogsMb smallest log limit, MB
 * @param maxLogsMb largest log limit, MB
 * @param stdLogsMb log limit of an action that sets none, MB
 * @param minConcurrency fewest activations per container
 * @param maxConcurrency most activations per container
 * @param stdConcurrency activations per container of an action that sets none
 * @param maxParameterBytes largest size of an action's parameters (and of its annotations)
 * @param maxPayloadBytes largest invoke payload, bytes
 * @param maxExecBytes largest action code plus entry point, bytes
 */
public record SystemLimits(int minMemoryMb, int maxMemoryMb, int stdMemoryMb, int minTimeoutMs,
    int maxTimeoutMs, int stdTimeoutMs, int minLogsMb, int maxLogsMb, int stdLogsMb,
    int minConcurrency, int maxConcurrency, int stdConcurrency, long maxParameterBytes,
    long maxPayloadBytes, long maxExecBytes) {
  private static final long MB = 1024L * 1024L;

  /** A stock OpenWhisk's limits (see the class comment for their source). */
  public static final SystemLimits STOCK = new SystemLimits(128, 512, 256, 100, 300_000, 60_000,
      0, 10, 10, 1, 1, 1, MB, MB, 48 * MB);

  /**
   * Checks that each {@code std} lies within its range, as OpenWhisk does when it loads them.
   *
   * @throws IllegalArgumentException naming the setting, by its operator name, and its values
   */
  public SystemLimits {
    range("memory", minMemoryMb, maxMemoryMb, stdMemoryMb, 0);
    range("timeLimit", minTimeoutMs, maxTimeoutMs, stdTimeoutMs, 1);
    range("logLimit", minLogsMb, maxLogsMb, stdLogsMb, 0);
    range("concurrencyLimit", minConcurrency, maxConcurrency, stdConcurrency, 1);
    if (maxConcurrency > 1) {
      throw new IllegalArgumentException("CONFIG_whisk_concurrencyLimit_max = " + maxConcurrency
          + " is invalid; allowed: 1, since this platform's action runtime, like OpenWhisk's"
          + " Java runtime, runs one activation at a time");
    }
    positive("parameterSizeLimit", maxParameterBytes);
    positive("activation_payload_max", maxPayloadBytes);
    positive("execSizeLimit", maxExecBytes);
    if (maxExecBytes > 48 * MB) {
      // OpenWhisk refuses to start with more (Exec.maxSize in Exec.scala).
      throw new IllegalArgumentException("CONFIG_whisk_execSizeLimit = " + maxExecBytes
          + " bytes is more than OpenWhisk's largest, 48 MB");
    }
  }

  private static void range(String name, long min, long max, long std, long lowest) {
    if (min < lowest || min > max || std < min || std > max) {
      throw new IllegalArgumentException("CONFIG_whisk_" + name + "_min/_max/_std = " + min + "/"
          + max + "/" + std + " is invalid; allowed: " + lowest + " <= min <= std <= max");
    }
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("CONFIG_whisk_" + name + " = " + value
          + " is invalid; allowed: a positive size");
    }
  }

  /**
   * @param v the largest action memory, MB
   * @return these limits with that maximum (and the minimum and default lowered to it if above)
   */
  public SystemLimits withMaxMemoryMb(int v) {
    return new SystemLimits(Math.min(minMemoryMb, v), v, Math.min(stdMemoryMb, v), minTimeoutMs,
        maxTimeoutMs, stdTimeoutMs, minLogsMb, maxLogsMb, stdLogsMb, minConcurrency,
        maxConcurrency, stdConcurrency, maxParameterBytes, maxPayloadBytes, maxExecBytes);
  }

  /**
   * @param v the largest time limit, ms
   * @return these limits with that maximum (and the minimum and default lowered to it if above)
   */
  public SystemLimits withMaxTimeoutMs(int v) {
    return new SystemLimits(minMemoryMb, maxMemoryMb, stdMemoryMb, Math.min(minTimeoutMs, v), v,
        Math.min(stdTimeoutMs, v), minLogsMb, maxLogsMb, stdLogsMb, minConcurrency,
        maxConcurrency, stdConcurrency, maxParameterBytes, maxPayloadBytes, maxExecBytes);
  }
}
