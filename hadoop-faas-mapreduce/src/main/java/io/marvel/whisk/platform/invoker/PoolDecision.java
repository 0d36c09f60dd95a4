package io.marvel.whisk.platform.invoker;

import java.util.List;

/** What the invoker does with the activation at the head of its queue. */
sealed interface PoolDecision {
  /** Run it in this warm container (no {@code /init}). */
  record UseWarm(String id) implements PoolDecision {
  }

  /** Run it in this prewarmed container ({@code /init} then {@code /run}). */
  record UsePrewarm(String id) implements PoolDecision {
  }

  /** Start a new container for it; the pool has room. */
  record StartCold() implements PoolDecision {
  }

  /** Destroy these idle containers to make room, then start a new one. */
  record EvictAndStart(List<String> victims) implements PoolDecision {
  }

  /**
   * Keep it queued: the action already uses all the containers its instance limit allows.
   * Unlike {@link Wait}, activations of other actions behind it may go ahead.
   */
  record AtLimit() implements PoolDecision {
  }

  /** Keep it queued until a container frees up. */
  record Wait() implements PoolDecision {
  }
}
