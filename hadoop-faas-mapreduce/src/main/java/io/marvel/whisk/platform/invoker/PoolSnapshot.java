package io.marvel.whisk.platform.invoker;

import java.util.List;

/**
 * A point-in-time view of the container pool, for operators and tests.
 *
 * @param containers containers that exist (busy, idle, prewarmed or starting)
 * @param usedMemoryMb memory they hold in MB
 * @param peakMemoryMb the most memory ever held at once since the invoker started, in MB
 * @param poolMemoryMb the pool's limit in MB
 * @param queued activations waiting for a container
 * @param pids process ids of the container JVMs that have started
 */
public record PoolSnapshot(int containers, long usedMemoryMb, long peakMemoryMb,
    long poolMemoryMb, int queued, List<Long> pids) {

  /** Copies the pid list. */
  public PoolSnapshot {
    pids = List.copyOf(pids);
  }
}
