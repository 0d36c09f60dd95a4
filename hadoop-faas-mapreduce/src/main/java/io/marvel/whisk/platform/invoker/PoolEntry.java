package io.marvel.whisk.platform.invoker;

/**
 * One container of the pool as the scheduling decisions see it.
 *
 * @param id container id
 * @param memoryMb the memory it holds in the pool
 * @param state what it is doing
 */
record PoolEntry(String id, int memoryMb, State state) {

  /** The life-cycle states of a pool container, as in OpenWhisk's ContainerProxy. */
  sealed interface State permits Starting, Prewarmed, Idle, Busy {
  }

  /** A container being created (its memory is already reserved). */
  record Starting() implements State {
  }

  /** A started, uninitialized container of a kind. */
  record Prewarmed(String kind) implements State {
  }

  /** A warm container, initialized for an action, not running anything. */
  record Idle(String actionKey, String namespace, long lastUsedMs) implements State {
  }

  /** A container running an activation. */
  record Busy(String actionKey, String namespace) implements State {
  }
}
