package io.marvel.whisk.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * When a failed call is retried and after what delay. Pure: the caller supplies the attempt
 * number and a random number for the jitter.
 *
 * <ul>
 * <li>429 (throttled) and 503 (no invoker) were refused before anything ran: always retried.</li>
 * <li>500, 502, 504 and dropped connections may have had an effect: retried only for idempotent
 *     calls (GET, PUT, DELETE), never for an invoke.</li>
 * <li>A refused connection sent nothing: always retried.</li>
 * <li>Timeouts are not retried: the caller already waited the configured time. Nor are TLS
 *     failures: a certificate does not change between attempts.</li>
 * </ul>
 *
 * @param maxRetries retries after the first attempt
 * @param baseDelay the first delay
 * @param maxDelay the longest delay
 */
record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay) {

  /**
   * @param retriesDone retries already made (0 after the first attempt)
   * @param status the HTTP status, or 0 when {@code error} is set
   * @param error the I/O failure, or null
   * @param idempotent whether repeating the call is harmless
   * @param retryAfter the server's Retry-After, or null
   * @param random a number in [0, 1) for the jitter
   * @return the delay before the next attempt, or empty to give up
   */
  Optional<Duration> nextDelay(int retriesDone, int status, IOException error, boolean idempotent,
      Duration retryAfter, double random) {
    if (retriesDone >= maxRetries || !retryable(status, error, idempotent)) {
      return Optional.empty();
    }
    long base = baseDelay.toMillis() << Math.min(20, retriesDone + (status == 429 ? 2 : 0));
    long capped = Math.min(maxDelay.toMillis(), base);
    long jittered = (long) (capped * (0.5 + random / 2));
    if (retryAfter != null) {
      jittered = Math.max(jittered, Math.min(maxDelay.toMillis(), retryAfter.toMillis()));
    }
    return Optional.of(Duration.ofMillis(jittered));
  }

  static boolean retryable(int status, IOException error, boolean idempotent) {
    if (error != null) {
      if (error instanceof HttpTimeoutException || error instanceof SSLException) {
        return false;
      }
      return error instanceof ConnectException || idempotent;
    }
    return switch (status) {
      case 429, 503 -> true;
      case 500, 502, 504 -> idempotent;
      default -> false;
    };
  }
}
