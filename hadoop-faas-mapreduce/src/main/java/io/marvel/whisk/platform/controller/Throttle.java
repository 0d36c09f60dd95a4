package io.marvel.whisk.platform.controller;

import java.util.Optional;

/**
 * OpenWhisk's two invoke throttles for one namespace (docs/openwhisk.md, "Throttling"): invokes
 * per wall-clock minute bucket, then activations in flight. Thread-safe.
 */
final class Throttle {
  private final int perMinute;
  private final int concurrent;
  private long minute = -1;
  private int countThisMinute;
  private int inFlight;

  Throttle(int perMinute, int concurrent) {
    this.perMinute = perMinute;
    this.concurrent = concurrent;
  }

  /**
   * Counts one invoke and takes an in-flight slot if both limits allow it.
   *
   * @param nowMs the current time in epoch ms
   * @return empty if admitted (call {@link #release()} when it completes), else the 429 message
   */
  synchronized Optional<String> admit(long nowMs) {
    long m = nowMs / 60_000;
    if (m != minute) {
      minute = m;
      countThisMinute = 0;
    }
    countThisMinute++;
    if (countThisMinute > perMinute) {
      return Optional.of("Too many requests in the last minute (count: " + countThisMinute
          + ", allowed: " + perMinute + ").");
    }
    if (inFlight >= concurrent) {
      return Optional.of("Too many concurrent requests in flight (count: " + inFlight
          + ", allowed: " + concurrent + ").");
    }
    inFlight++;
    return Optional.empty();
  }

  synchronized void release() {
    inFlight--;
  }

  synchronized int inFlight() {
    return inFlight;
  }
}
