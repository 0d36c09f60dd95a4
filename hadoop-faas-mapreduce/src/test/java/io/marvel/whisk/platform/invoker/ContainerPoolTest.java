package io.marvel.whisk.platform.invoker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.whisk.platform.invoker.PoolDecision.AtLimit;
import io.marvel.whisk.platform.invoker.PoolDecision.EvictAndStart;
import io.marvel.whisk.platform.invoker.PoolDecision.StartCold;
import io.marvel.whisk.platform.invoker.PoolDecision.UsePrewarm;
import io.marvel.whisk.platform.invoker.PoolDecision.UseWarm;
import io.marvel.whisk.platform.invoker.PoolDecision.Wait;
import io.marvel.whisk.platform.invoker.PoolEntry.Busy;
import io.marvel.whisk.platform.invoker.PoolEntry.Idle;
import io.marvel.whisk.platform.invoker.PoolEntry.Prewarmed;
import io.marvel.whisk.platform.invoker.PoolEntry.Starting;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduling decisions without processes, like OpenWhisk's ContainerPoolObjectTests. */
class ContainerPoolTest {
  private static final ExecutableAction A = action("a", "1");
  private static final ExecutableAction B = action("b", "2");

  private static ExecutableAction action(String name, String revision) {
    return limited(name, revision, 0);
  }

  private static ExecutableAction limited(String name, String revision, int instances) {
    return new ExecutableAction("guest", name, "0.0.1", revision, "java:8", null, "Main", "", true,
        new ActionLimits(60_000, 256, 10, 1, instances), null, null);
  }

  private static PoolEntry idle(String id, ExecutableAction a, String ns, long lastUsed) {
    return new PoolEntry(id, 256, new Idle(a.containerKey(), ns, lastUsed));
  }

  @Test
  void prefersAWarmContainerOfTheSameActionAndNamespace() {
    List<PoolEntry> pool = List.of(idle("1", B, "guest", 0), idle("2", A, "other", 0),
        idle("3", A, "guest", 0), new PoolEntry("4", 256, new Prewarmed("java:8")));
    assertEquals(new UseWarm("3"), ContainerPool.decide(A, "guest", pool, 2048));
  }

  @Test
  void anUpdatedActionDoesNotReuseOldContainers() {
    ExecutableAction updated = action("a", "9");
    List<PoolEntry> pool = List.of(idle("1", A, "guest", 0));
    assertEquals(new StartCold(), ContainerPool.decide(updated, "guest", pool, 2048));
  }

  @Test
  void busyContainersAreNotShared() {
    List<PoolEntry> pool = List.of(new PoolEntry("1", 256, new Busy(A.containerKey(), "guest")));
    assertEquals(new StartCold(), ContainerPool.decide(A, "guest", pool, 2048));
  }

  @Test
  void usesAPrewarmOfTheSameKindAndMemory() {
    List<PoolEntry> pool = List.of(new PoolEntry("1", 512, new Prewarmed("java:8")),
        new PoolEntry("2", 256, new Prewarmed("java:8")));
    assertEquals(new UsePrewarm("2"), ContainerPool.decide(A, "guest", pool, 2048));
  }

  @Test
  void evictsLeastRecentlyUsedIdleContainersJustEnough() {
    List<PoolEntry> pool = List.of(idle("new", B, "guest", 300), idle("old", B, "guest", 100),
        idle("mid", B, "guest", 200), new PoolEntry("busy", 256, new Busy("x", "guest")));
    assertEquals(new EvictAndStart(List.of("old")), ContainerPool.decide(A, "guest", pool,
        1024));
  }

  @Test
  void waitsWhenOnlyBusyContainersFillThePool() {
    List<PoolEntry> pool = List.of(new PoolEntry("1", 256, new Busy("x", "guest")),
        new PoolEntry("2", 256, new Starting()));
    assertEquals(new Wait(), ContainerPool.decide(A, "guest", pool, 512));
  }

  @Test
  void anActionAtItsInstanceLimitWaitsForItsOwnContainers() {
    ExecutableAction one = limited("one", "5", 1);
    List<PoolEntry> pool = List.of(new PoolEntry("1", 256, new Busy(one.containerKey(),
        "guest")));
    assertEquals(new AtLimit(), ContainerPool.decide(one, "guest", pool, 2048));
    List<PoolEntry> idle = List.of(idle("1", one, "guest", 0));
    assertEquals(new UseWarm("1"), ContainerPool.decide(one, "guest", idle, 2048));
    ExecutableAction two = limited("two", "6", 2);
    assertEquals(new StartCold(), ContainerPool.decide(two, "guest", List.of(
        new PoolEntry("1", 256, new Busy(two.containerKey(), "guest"))), 2048));
  }

  @Test
  void memoryOfAllStatesCounts() {
    List<PoolEntry> pool = List.of(new PoolEntry("1", 256, new Busy("x", "guest")),
        new PoolEntry("2", 128, new Starting()), new PoolEntry("3", 512, new Prewarmed("k")),
        idle("4", A, "guest", 0));
    assertEquals(1152, ContainerPool.usedMemoryMb(pool));
  }

  @Test
  void removeGivesUpWhenIdleContainersCannotFreeEnough() {
    List<PoolEntry> pool = List.of(idle("1", B, "guest", 0));
    assertTrue(ContainerPool.remove(pool, 512).isEmpty());
    assertEquals(List.of("1"), ContainerPool.remove(pool, 256).get());
  }

  @Test
  void expiredFindsIdleContainersPastTheTimeout() {
    List<PoolEntry> pool = List.of(idle("1", A, "guest", 0), idle("2", A, "guest", 900),
        new PoolEntry("3", 256, new Busy("x", "guest")));
    assertEquals(List.of("1"), ContainerPool.expired(pool, 1000, 500));
  }

  @Test
  void prewarmsAreToppedUpAsFarAsThePoolAllows() {
    List<PoolEntry> pool = List.of(new PoolEntry("1", 256, new Starting()));
    assertEquals(1, ContainerPool.prewarmsToStart(pool, 2, 256, 2048));
    assertEquals(0, ContainerPool.prewarmsToStart(pool, 2, 256, 256));
    assertEquals(2, ContainerPool.prewarmsToStart(List.of(), 2, 256, 1024));
  }
}
