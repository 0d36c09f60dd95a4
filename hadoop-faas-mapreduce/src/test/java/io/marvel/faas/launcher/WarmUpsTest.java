package io.marvel.faas.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gate between a job's warm-ups and its first task launches. */
class WarmUpsTest {
  private static final WarmUpResult DONE = new WarmUpResult("a1", "c-1", 5, true, "");

  @Test
  void theKthLaunchWaitsForKWarmUpsAndLaterLaunchesDoNot() throws Exception {
    WarmUps warmUps = new WarmUps(60_000);
    assertTrue(warmUps.begin(2));
    CompletableFuture<Void> first = launch(warmUps);
    CompletableFuture<Void> second = launch(warmUps);
    Thread.sleep(200);
    assertFalse(first.isDone() || second.isDone(), "launches wait for running warm-ups");
    warmUps.ended(DONE);
    // One warm-up ended: one of the two launches goes on, the other still waits.
    CompletableFuture.anyOf(first, second).get(10, TimeUnit.SECONDS);
    Thread.sleep(200);
    assertFalse(first.isDone() && second.isDone(), "the second launch waits for the second");
    warmUps.ended(WarmUpResult.failed("a2", 3, "failed"));
    CompletableFuture.allOf(first, second).get(10, TimeUnit.SECONDS);
    // A third launch has no warm-up of its own.
    launch(warmUps).get(10, TimeUnit.SECONDS);
    assertEquals(2, warmUps.results().size());
  }

  @Test
  void aLaunchBeforeTheWarmUpsBeginCancelsThem() throws Exception {
    WarmUps warmUps = new WarmUps(60_000);
    launch(warmUps).get(10, TimeUnit.SECONDS);
    assertFalse(warmUps.begin(2), "no warm-up starts once tasks run");
  }

  @Test
  void aLaunchWaitsNoLongerThanTheLimit() throws Exception {
    WarmUps warmUps = new WarmUps(300);
    assertTrue(warmUps.begin(1));
    long t0 = System.nanoTime();
    launch(warmUps).get(10, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 250 && ms < 5_000, "waited " + ms + " ms");
  }

  private static CompletableFuture<Void> launch(WarmUps warmUps) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        warmUps.beforeLaunch();
        done.complete(null);
      } catch (InterruptedException e) {
        done.completeExceptionally(e);
      }
    });
    thread.setDaemon(true);
    thread.start();
    return done;
  }
}
