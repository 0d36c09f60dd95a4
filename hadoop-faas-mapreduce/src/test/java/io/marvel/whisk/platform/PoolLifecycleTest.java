package io.marvel.whisk.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.platform.invoker.PoolSnapshot;
import io.marvel.whisk.platform.settings.PlatformSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Prewarm, idle eviction and the bound on activation records, with short settings. */
class PoolLifecycleTest extends PlatformHarness {

  @Override
  protected PlatformSettings.Builder configure(PlatformSettings.Builder builder) {
    return builder.prewarmCount(1).prewarmMemoryMb(256).idleContainerTimeout(
        Duration.ofMillis(1500)).maxActivationRecords(3).poolMemoryMb(1024);
  }

  @Test
  void prewarmIsUsedThenIdleContainersAreEvictedAndThePrewarmRefilled() throws Exception {
    assertTrue(eventually(Duration.ofSeconds(30), () -> whisk.poolSnapshot().pids().size() == 1),
        "the prewarm did not start: " + whisk.poolSnapshot());
    long prewarmPid = whisk.poolSnapshot().pids().get(0);
    client.deploy(probe("pre"));
    Activation a = invoke("pre", new JsonObject());
    assertEquals(prewarmPid, pid(a), "the prewarmed container was not used");
    assertTrue(a.annotations().containsKey("initTime"));
    // A new pid, not two pids: on a loaded machine the replacement's JVM may announce itself
    // only after the used container was evicted.
    assertTrue(eventually(Duration.ofSeconds(30),
        () -> whisk.poolSnapshot().pids().stream().anyMatch(pid -> pid != prewarmPid)),
        "no replacement prewarm: " + whisk.poolSnapshot());
    assertTrue(eventually(Duration.ofSeconds(30),
        () -> !whisk.poolSnapshot().pids().contains(prewarmPid)),
        "the idle container was not evicted: " + whisk.poolSnapshot());
    assertTrue(eventually(Duration.ofSeconds(10),
        () -> ProcessHandle.of(prewarmPid).map(p -> !p.isAlive()).orElse(true)));
    PoolSnapshot s = whisk.poolSnapshot();
    assertEquals(1, s.containers(), "only the prewarm should remain: " + s);
  }

  @Test
  void onlyTheNewestActivationRecordsAreKept() throws IOException {
    client.deploy(probe("records"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(invoke("records", new JsonObject()).activationId());
    }
    assertTrue(client.getActivation(ids.get(0)).isEmpty());
    assertTrue(client.getActivation(ids.get(1)).isEmpty());
    assertTrue(client.getActivation(ids.get(4)).isPresent());
  }

  @Test
  void instanceLimitBoundsAnActionsContainersWithoutBlockingOthers() throws Exception {
    client.deploy(probe("single").withMaxInstances(1));
    assertEquals(1, client.getAction("single").get().maxInstances());
    client.deploy(probe("other"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(client.invokeNonBlocking("single", params("sleepMs", 1000)));
    }
    Activation other = client.invokeBlocking("other", new JsonObject(), Duration.ofSeconds(60));
    assertTrue(other.success());
    Set<Long> pids = new HashSet<>();
    for (String id : ids) {
      Activation a = client.awaitActivation(id, Duration.ofSeconds(60));
      assertTrue(a.success(), a.toString());
      pids.add(pid(a));
    }
    assertEquals(1, pids.size(), "an action limited to 1 instance used " + pids);
    assertTrue(client.getActivation(ids.get(2)).get().end() > other.end(),
        "the other action had to wait behind the limited one");
  }
}
