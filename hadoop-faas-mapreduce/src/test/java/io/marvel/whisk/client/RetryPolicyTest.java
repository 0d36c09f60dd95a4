package io.marvel.whisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2));

  @Test
  void throttledAndUnavailableAreRetriedEvenForInvokes() {
    assertTrue(policy.nextDelay(0, 429, null, false, null, 0.5).isPresent());
    assertTrue(policy.nextDelay(0, 503, null, false, null, 0.5).isPresent());
  }

  @Test
  void serverErrorsAreRetriedOnlyWhenIdempotent() {
    assertTrue(policy.nextDelay(0, 502, null, true, null, 0.5).isPresent());
    assertFalse(policy.nextDelay(0, 502, null, false, null, 0.5).isPresent());
    assertFalse(policy.nextDelay(0, 500, null, false, null, 0.5).isPresent());
  }

  @Test
  void clientErrorsAreNotRetried() {
    for (int status : new int[] {400, 401, 403, 404, 409, 413}) {
      assertFalse(policy.nextDelay(0, status, null, true, null, 0.5).isPresent(), "" + status);
    }
  }

  @Test
  void refusedConnectionIsRetriedButTimeoutsAreNot() {
    assertTrue(policy.nextDelay(0, 0, new ConnectException("refused"), false, null, 0.5)
        .isPresent());
    assertFalse(policy.nextDelay(0, 0, new HttpConnectTimeoutException("t"), true, null, 0.5)
        .isPresent());
    assertFalse(policy.nextDelay(0, 0, new HttpTimeoutException("t"), true, null, 0.5)
        .isPresent());
  }

  @Test
  void tlsFailuresAreNotRetried() {
    assertFalse(policy.nextDelay(0, 0, new SSLHandshakeException("PKIX path building failed"),
        true, null, 0.5).isPresent());
  }

  @Test
  void resetIsRetriedOnlyWhenIdempotent() {
    IOException reset = new IOException("connection reset");
    assertTrue(policy.nextDelay(0, 0, reset, true, null, 0.5).isPresent());
    assertFalse(policy.nextDelay(0, 0, reset, false, null, 0.5).isPresent());
  }

  @Test
  void stopsAfterTheRetryLimit() {
    assertTrue(policy.nextDelay(2, 503, null, true, null, 0.5).isPresent());
    assertFalse(policy.nextDelay(3, 503, null, true, null, 0.5).isPresent());
  }

  @Test
  void delaysDoubleWithJitterAndAreCapped() {
    assertEquals(Duration.ofMillis(50), policy.nextDelay(0, 503, null, true, null, 0).get());
    assertEquals(Duration.ofMillis(99), policy.nextDelay(0, 503, null, true, null, 0.99).get());
    assertEquals(Duration.ofMillis(200), policy.nextDelay(2, 503, null, true, null, 0).get());
    RetryPolicy many = new RetryPolicy(50, Duration.ofMillis(100), Duration.ofSeconds(2));
    assertEquals(Duration.ofMillis(2000), many.nextDelay(40, 503, null, true, null, 1).get());
  }

  @Test
  void throttlingBacksOffLongerAndHonoursRetryAfter() {
    assertEquals(Duration.ofMillis(400), policy.nextDelay(0, 429, null, false, null, 1).get());
    assertEquals(Duration.ofMillis(1500),
        policy.nextDelay(0, 429, null, false, Duration.ofMillis(1500), 0).get());
  }
}
