package io.marvel.whisk.platform.invoker;

import io.marvel.whisk.platform.settings.SystemLimits;

/**
 * The limits of an action, in OpenWhisk's units (docs/openwhisk.md, "Limits and defaults").
 * The controller checks them against the platform's {@link SystemLimits} when the action is
 * created or updated.
 *
 * @param timeoutMs time limit of {@code /init} and, separately, of {@code /run}, in ms
 * @param memoryMb memory limit in MB: the container's memory and its share of the pool
 * @param logsMb log limit in MB; 0 disables log collection
 * @param concurrency activations per container; OpenWhisk allows only 1 by default
 * @param instances the most containers the action may use at once (its concurrency limit:
 *     further activations queue); 0 for no limit but the pool's memory
 */
public record ActionLimits(int timeoutMs, int memoryMb, int logsMb, int concurrency,
    int instances) {
  /** A stock OpenWhisk's defaults: 60 s, 256 MB, 10 MB of logs, one activation per container. */
  public static final ActionLimits DEFAULT = standard(SystemLimits.STOCK);

  /**
   * @param system the platform's limits
   * @return the limits of an action that sets none
   */
  public static ActionLimits standard(SystemLimits system) {
    return new ActionLimits(system.stdTimeoutMs(), system.stdMemoryMb(), system.stdLogsMb(),
        system.stdConcurrency(), 0);
  }
}
