package io.marvel.whisk.platform.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ThrottleTest {
  @Test
  void refusesPastTheConcurrentLimitUntilReleased() {
    Throttle t = new Throttle(100, 2);
    assertTrue(t.admit(0).isEmpty());
    assertTrue(t.admit(0).isEmpty());
    assertEquals(Optional.of("Too many concurrent requests in flight (count: 2, allowed: 2)."),
        t.admit(0));
    t.release();
    assertTrue(t.admit(0).isEmpty());
  }

  @Test
  void perMinuteUsesWallClockBucketsAndCountsRefusedRequests() {
    Throttle t = new Throttle(2, 100);
    assertTrue(t.admit(60_000).isEmpty());
    assertTrue(t.admit(60_001).isEmpty());
    assertEquals(Optional.of("Too many requests in the last minute (count: 3, allowed: 2)."),
        t.admit(119_999));
    assertTrue(t.admit(120_000).isEmpty());
    assertEquals(3, t.inFlight());
  }
}
