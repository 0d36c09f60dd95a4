package io.marvel.whisk.platform.invoker;

import io.marvel.whisk.platform.invoker.PoolDecision.AtLimit;
import io.marvel.whisk.platform.invoker.PoolDecision.EvictAndStart;
import io.marvel.whisk.platform.invoker.PoolDecision.StartCold;
import io.marvel.whisk.platform.invoker.PoolDecision.UsePrewarm;
import io.marvel.whisk.platform.invoker.PoolDecision.UseWarm;
import io.marvel.whisk.platform.invoker.PoolDecision.Wait;
import io.marvel.whisk.platform.invoker.PoolEntry.Busy;
import io.marvel.whisk.platform.invoker.PoolEntry.Idle;
import io.marvel.whisk.platform.invoker.PoolEntry.Prewarmed;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The invoker's scheduling decisions as pure functions over a snapshot of the pool, in the order
 * OpenWhisk's ContainerPool applies them: a warm container of the same action revision and
 * namespace, then a prewarmed one of the same kind and memory, then a new container if the memory
 * pool has room, then a new one after evicting least recently used idle containers, else wait.
 * An action with an instance limit that already has that many containers waits for one of its
 * own.
 */
final class ContainerPool {
  private ContainerPool() {
  }

  /**
   * @param action the action to place
   * @param namespace the invoking namespace
   * @param entries every container of the pool
   * @param poolMemoryMb the pool's memory limit in MB
   * @return the decision
   */
  static PoolDecision decide(ExecutableAction action, String namespace,
      Collection<PoolEntry> entries, long poolMemoryMb) {
    Optional<String> warm = schedule(action.containerKey(), namespace, entries);
    if (warm.isPresent()) {
      return new UseWarm(warm.get());
    }
    int instances = action.limits().instances();
    if (instances > 0 && containersOf(action.containerKey(), entries) >= instances) {
      return new AtLimit();
    }
    int memory = action.limits().memoryMb();
    Optional<String> prewarm = prewarmFor(action.kind(), memory, entries);
    if (prewarm.isPresent()) {
      return new UsePrewarm(prewarm.get());
    }
    long free = poolMemoryMb - usedMemoryMb(entries);
    if (free >= memory) {
      return new StartCold();
    }
    return remove(entries, memory - free)
        .<PoolDecision>map(EvictAndStart::new)
        .orElseGet(Wait::new);
  }

  /** @return an idle warm container for exactly this action revision and namespace */
  static Optional<String> schedule(String actionKey, String namespace,
      Collection<PoolEntry> entries) {
    return entries.stream()
        .filter(e -> e.state() instanceof Idle idle && idle.actionKey().equals(actionKey)
            && idle.namespace().equals(namespace))
        .map(PoolEntry::id)
        .findFirst();
  }

  /** @return how many containers (busy or idle) run this action revision */
  static long containersOf(String actionKey, Collection<PoolEntry> entries) {
    return entries.stream()
        .filter(e -> e.state() instanceof Idle idle && idle.actionKey().equals(actionKey)
            || e.state() instanceof Busy busy && busy.actionKey().equals(actionKey))
        .count();
  }

  /** @return a prewarmed container with exactly this kind and memory */
  static Optional<String> prewarmFor(String kind, int memoryMb, Collection<PoolEntry> entries) {
    return entries.stream()
        .filter(e -> e.state() instanceof Prewarmed p && p.kind().equals(kind)
            && e.memoryMb() == memoryMb)
        .map(PoolEntry::id)
        .findFirst();
  }

  /** @return the memory held by all containers: busy, idle, prewarmed and starting */
  static long usedMemoryMb(Collection<PoolEntry> entries) {
    return entries.stream().mapToLong(PoolEntry::memoryMb).sum();
  }

  /**
   * Picks idle warm containers to destroy, least recently used first, just enough to free
   * {@code neededMb}.
   *
   * @return the victims, or empty if all idle containers together do not free enough
   */
  static Optional<List<String>> remove(Collection<PoolEntry> entries, long neededMb) {
    List<PoolEntry> idle = entries.stream()
        .filter(e -> e.state() instanceof Idle)
        .sorted(Comparator.comparingLong(e -> ((Idle) e.state()).lastUsedMs()))
        .toList();
    List<String> victims = new ArrayList<>();
    long freed = 0;
    for (PoolEntry e : idle) {
      if (freed >= neededMb) {
        break;
      }
      victims.add(e.id());
      freed += e.memoryMb();
    }
    return freed >= neededMb ? Optional.of(victims) : Optional.empty();
  }

  /** @return idle warm containers unused for at least {@code idleMs} at {@code nowMs} */
  static List<String> expired(Collection<PoolEntry> entries, long nowMs, long idleMs) {
    return entries.stream()
        .filter(e -> e.state() instanceof Idle idle && nowMs - idle.lastUsedMs() >= idleMs)
        .map(PoolEntry::id)
        .toList();
  }

  /**
   * @return how many prewarms of {@code memoryMb} to start so that {@code wanted} exist or are
   *     starting, as far as the pool has room
   */
  static int prewarmsToStart(Collection<PoolEntry> entries, int wanted, int memoryMb,
      long poolMemoryMb) {
    long have = entries.stream()
        .filter(e -> e.state() instanceof Prewarmed || e.state() instanceof PoolEntry.Starting)
        .count();
    long missing = Math.max(0, wanted - have);
    long room = (poolMemoryMb - usedMemoryMb(entries)) / memoryMb;
    return (int) Math.max(0, Math.min(missing, room));
  }
}
