package io.marvel.whisk.platform.invoker;

/**
 * The limits of an action, in OpenWhisk's units and ranges (docs/openwhisk.md, "Limits and
 * defaults").
 *
 * @param timeoutMs time limit of {@code /init} and, separately, of {@code /run}, in ms
 * @param memoryMb memory limit in MB; the container's heap and its share of the pool
 * @param logsMb log limit in MB; 0 disables log collection
 * @param concurrency activations per container; OpenWhisk allows only 1 for Java
 * @param instances the most containers the action may use at once (its concurrency limit:
 *     further activations queue); 0 for no limit but the pool's memory
 */
public record ActionLimits(int timeoutMs, int memoryMb, int logsMb, int concurrency,
    int instances) {
  /** OpenWhisk's defaults: 60 s, 256 MB, 10 MB of logs, one activation per container. */
  public static final ActionLimits DEFAULT = new ActionLimits(60_000, 256, 10, 1, 0);

  /** Smallest and largest allowed values, as in OpenWhisk's default configuration. */
  public static final int MIN_TIMEOUT_MS = 100;
  /** Largest allowed timeout in ms. */
  public static final int MAX_TIMEOUT_MS = 300_000;
  /** Smallest allowed memory in MB. */
  public static final int MIN_MEMORY_MB = 128;
  /** Largest allowed memory in MB (raised from OpenWhisk's 512 so Hadoop tasks fit). */
  public static final int MAX_MEMORY_MB = 8192;
  /** Largest allowed log limit in MB. */
  public static final int MAX_LOGS_MB = 10;

  /**
   * Checks the ranges and names the offending field the way OpenWhisk's controller does.
   *
   * @return this
   * @throws IllegalArgumentException naming the field, its value and the allowed range
   */
  public ActionLimits validate() {
    return validate(MAX_MEMORY_MB);
  }

  /**
   * Checks the ranges as {@link #validate()} does, on a platform whose container pool is
   * smaller than {@link #MAX_MEMORY_MB}: an action larger than the pool could never run.
   *
   * @param poolMemoryMb the platform's container pool in MB
   * @return this
   * @throws IllegalArgumentException naming the field, its value and the allowed range
   */
  public ActionLimits validate(long poolMemoryMb) {
    if (memoryMb > poolMemoryMb && poolMemoryMb < MAX_MEMORY_MB) {
      throw new IllegalArgumentException("memory " + memoryMb + " MB is out of range; allowed: "
          + MIN_MEMORY_MB + " to " + poolMemoryMb + " MB, the size of this platform's container"
          + " pool (an action larger than the pool could never run)");
    }
    if (timeoutMs < MIN_TIMEOUT_MS || timeoutMs > MAX_TIMEOUT_MS) {
      throw new IllegalArgumentException("duration " + timeoutMs + " milliseconds is out of range;"
          + " allowed: " + MIN_TIMEOUT_MS + " to " + MAX_TIMEOUT_MS + " milliseconds");
    }
    if (memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB) {
      throw new IllegalArgumentException("memory " + memoryMb + " MB is out of range; allowed: "
          + MIN_MEMORY_MB + " to " + MAX_MEMORY_MB + " MB");
    }
    if (logsMb < 0 || logsMb > MAX_LOGS_MB) {
      throw new IllegalArgumentException("log size " + logsMb + " MB is out of range; allowed: 0"
          + " to " + MAX_LOGS_MB + " MB");
    }
    if (instances < 0) {
      throw new IllegalArgumentException("instances " + instances + " is out of range; allowed:"
          + " 0 (no limit) or more");
    }
    if (concurrency != 1) {
      throw new IllegalArgumentException("concurrency " + concurrency
          + " is out of range; allowed: 1 to 1 (Java runtimes run one activation at a time)");
    }
    return this;
  }
}
