package io.marvel.faas.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdleHeapTrimTest {
  private static final long IDLE_MS = 100;

  @Test
  void trimsOnceAfterTheContainerWentIdle() throws InterruptedException {
    CountDownLatch trimmed = new CountDownLatch(1);
    AtomicInteger trims = new AtomicInteger();
    try (IdleHeapTrim trim = new IdleHeapTrim(() -> {
      trims.incrementAndGet();
      trimmed.countDown();
    }, IDLE_MS)) {
      trim.activationStarted();
      trim.activationEnded();
      assertTrue(trimmed.await(5, TimeUnit.SECONDS), "no trim after the activation ended");
      Thread.sleep(3 * IDLE_MS);
      assertEquals(1, trims.get());
    }
  }

  @Test
  void neverTrimsWhileAnActivationRuns() throws InterruptedException {
    AtomicInteger trims = new AtomicInteger();
    try (IdleHeapTrim trim = new IdleHeapTrim(trims::incrementAndGet, IDLE_MS)) {
      trim.activationStarted();
      trim.activationStarted();
      trim.activationEnded();
      Thread.sleep(4 * IDLE_MS);
      assertEquals(0, trims.get(), "trimmed while an activation still ran");
    }
  }

  @Test
  void anActivationThatBeginsWithinTheIdleTimeCallsTheTrimOff() throws InterruptedException {
    AtomicInteger trims = new AtomicInteger();
    CountDownLatch trimmed = new CountDownLatch(1);
    try (IdleHeapTrim trim = new IdleHeapTrim(() -> {
      trims.incrementAndGet();
      trimmed.countDown();
    }, 4 * IDLE_MS)) {
      trim.activationStarted();
      trim.activationEnded();
      trim.activationStarted();
      Thread.sleep(6 * IDLE_MS);
      assertEquals(0, trims.get(), "the next task of a wave waited for a trim");
      trim.activationEnded();
      assertTrue(trimmed.await(10, TimeUnit.SECONDS), "no trim after the wave ended");
      Thread.sleep(3 * IDLE_MS);
      assertEquals(1, trims.get());
    }
  }
}
