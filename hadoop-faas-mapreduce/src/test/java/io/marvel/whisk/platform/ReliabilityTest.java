package io.marvel.whisk.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.ActivationStatus;
import io.marvel.whisk.client.WhiskClient;
import io.marvel.whisk.client.WhiskException;
import io.marvel.whisk.platform.settings.PlatformSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Crashes, overload and shutdown: what OpenWhisk promises must hold. */
class ReliabilityTest extends PlatformHarness {
  private static final int POOL_MB = 512;

  @Override
  protected PlatformSettings.Builder configure(PlatformSettings.Builder builder) {
    return builder.poolMemoryMb(POOL_MB).concurrentInvocations(60);
  }

  @Test
  void killedContainerEndsItsActivationAndIsReplaced() throws Exception {
    client.deploy(probe("victim"));
    long first = pid(invoke("victim", new JsonObject()));
    Path running = dataDir.resolve("victim-running");
    JsonObject slow = params("sleepMs", 30_000);
    slow.addProperty("touch", running.toString());
    String id = client.invokeNonBlocking("victim", slow);
    assertTrue(eventually(Duration.ofSeconds(10), () -> Files.exists(running)),
        "the activation runs in its container");
    ProcessHandle.of(first).orElseThrow().destroyForcibly();
    long t0 = System.nanoTime();
    Activation a = client.awaitActivation(id, Duration.ofSeconds(20));
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000);
    assertEquals(ActivationStatus.DEVELOPER_ERROR, a.status());
    assertEquals("The action did not produce a valid response and exited unexpectedly. Its"
        + " container process (pid " + first + ") was killed by signal 9 (SIGKILL).", a.error());
    Activation next = invoke("victim", new JsonObject());
    assertTrue(next.success());
    assertNotEquals(first, pid(next));
  }

  @Test
  void twoHundredConcurrentInvocationsCompleteOrAreThrottledNoneLost() throws Exception {
    client.deploy(probe("burst"));
    WhiskClient noRetry = WhiskClient.create(whisk.clientSettings()
        .withRetries(0, Duration.ZERO, Duration.ZERO));
    ExecutorService pool = Executors.newFixedThreadPool(200);
    List<Future<String>> sent = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        JsonObject p = params("i", i);
        p.addProperty("sleepMs", 20);
        sent.add(pool.submit(() -> {
          try {
            return noRetry.invokeNonBlocking("burst", p);
          } catch (WhiskException e) {
            assertEquals(429, e.statusCode(), e.getMessage());
            return null;
          }
        }));
      }
      List<String> accepted = new ArrayList<>();
      int throttled = 0;
      for (Future<String> f : sent) {
        String id = f.get(60, TimeUnit.SECONDS);
        if (id == null) {
          throttled++;
        } else {
          accepted.add(id);
        }
      }
      assertEquals(200, accepted.size() + throttled);
      assertTrue(throttled > 0, "200 at once must exceed the limit of 60 in flight");
      assertEquals(accepted.size(), new HashSet<>(accepted).size(), "duplicate activation ids");
      Set<Integer> seen = new HashSet<>();
      for (String id : accepted) {
        Activation a = client.awaitActivation(id, Duration.ofSeconds(120));
        assertTrue(a.success(), a.toString());
        assertTrue(seen.add(a.result().getAsJsonObject().getAsJsonObject("echo").get("i")
            .getAsInt()), "an invocation ran twice");
      }
      assertEquals(accepted.size(), seen.size());
      assertTrue(whisk.poolSnapshot().peakMemoryMb() <= POOL_MB, whisk.poolSnapshot().toString());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void stoppingThePlatformEndsRunningActivationsAndLeavesNoContainer() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "marvel-whisk-stop");
    ExecutorService callers = Executors.newFixedThreadPool(3);
    try {
      EmbeddedWhisk other = EmbeddedWhisk.start(PlatformSettings.builder(dir)
          .poolMemoryMb(512).build());
      WhiskClient c = WhiskClient.create(other.clientSettings());
      c.deploy(probe("long"));
      List<Future<Activation>> running = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        running.add(callers.submit(() -> c.invokeBlocking("long", params("sleepMs", 60_000),
            Duration.ofSeconds(90))));
      }
      assertTrue(eventually(Duration.ofSeconds(30), () -> other.poolSnapshot().pids().size() == 2),
          other.poolSnapshot().toString());
      List<Long> pids = other.poolSnapshot().pids();
      other.close();
      for (long pid : pids) {
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
            "container " + pid + " survived the stop");
      }
      for (Future<Activation> f : running) {
        try {
          Activation a = f.get(30, TimeUnit.SECONDS);
          assertFalse(a.success(), "an activation succeeded although the platform stopped");
        } catch (ExecutionException e) {
          assertTrue(e.getCause() instanceof IOException, e.toString());
        }
      }
      assertEquals(List.of(), containerProcesses(dir));
    } finally {
      callers.shutdownNow();
      deleteTree(dir);
    }
  }
}
