package io.marvel.whisk.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How to reach an OpenWhisk deployment. Immutable; start from {@link #of(URI, String)} or
 * {@link WskProps#resolve()} and adjust with the {@code with*} methods. {@link #toString()} hides
 * the key.
 *
 * @param apiHost the API host, e.g. {@code https://openwhisk.example.com} (no {@code /api/v1})
 * @param authKey the API key, {@code uuid:key}
 * @param namespace the namespace, {@code _} for the key's default
 * @param insecure trust any server certificate and host name (development setups only)
 * @param caFile a PEM file of CA certificates to trust instead of the JDK's, or null
 * @param connectTimeout the time limit for opening a connection
 * @param requestTimeout the time limit of a request, added to the wait of a blocking invoke
 * @param maxRetries retries of a failed call where retrying is safe (429, 503, connect failures,
 *     and 5xx or resets of idempotent calls)
 * @param retryBaseDelay the first retry delay; later ones double, with jitter
 * @param retryMaxDelay the longest retry delay
 */
public record WhiskSettings(URI apiHost, String authKey, String namespace, boolean insecure,
    Path caFile, Duration connectTimeout, Duration requestTimeout, int maxRetries,
    Duration retryBaseDelay, Duration retryMaxDelay) {

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the field, its value and what is allowed
   */
  public WhiskSettings {
    Objects.requireNonNull(apiHost, "apiHost");
    Objects.requireNonNull(authKey, "authKey");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(retryBaseDelay, "retryBaseDelay");
    Objects.requireNonNull(retryMaxDelay, "retryMaxDelay");
    String scheme = apiHost.getScheme() == null ? "" : apiHost.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || apiHost.getHost() == null) {
      throw new IllegalArgumentException("OpenWhisk apihost '" + apiHost + "' is not an http(s)"
          + " URL; use e.g. https://host or http://127.0.0.1:3233");
    }
    if (authKey.indexOf(':') <= 0) {
      throw new IllegalArgumentException("OpenWhisk auth key is not of the form uuid:key;"
          + " check AUTH in ~/.wskprops or __OW_API_KEY");
    }
    if (namespace.isBlank()) {
      throw new IllegalArgumentException("OpenWhisk namespace is blank; use _ for the key's"
          + " default namespace");
    }
    positive("connectTimeout", connectTimeout);
    positive("requestTimeout", requestTimeout);
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries = " + maxRetries + " must be 0 or more");
    }
    if (retryBaseDelay.isNegative() || retryMaxDelay.compareTo(retryBaseDelay) < 0) {
      throw new IllegalArgumentException("retry delays must satisfy 0 <= retryBaseDelay ("
          + retryBaseDelay + ") <= retryMaxDelay (" + retryMaxDelay + ")");
    }
  }

  private static void positive(String field, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " = " + d + " must be positive");
    }
  }

  /**
   * Settings with the defaults: namespace {@code _}, certificate checks on, 3 s connect timeout,
   * 60 s request timeout, 4 retries starting at 100 ms up to 5 s.
   *
   * @param apiHost the API host
   * @param authKey the key, {@code uuid:key}
   * @return the settings
   */
  public static WhiskSettings of(URI apiHost, String authKey) {
    return new WhiskSettings(apiHost, authKey, "_", false, null, Duration.ofSeconds(3),
        Duration.ofSeconds(60), 4, Duration.ofMillis(100), Duration.ofSeconds(5));
  }

  /**
   * Parses an apihost the way {@code wsk} and the JS client do: a value without a scheme gets
   * {@code https://}; a trailing slash or {@code /api/v1} is dropped.
   *
   * @param value e.g. {@code openwhisk.example.com} or {@code http://127.0.0.1:3233}
   * @return the URI
   * @throws IllegalArgumentException if it is not a URL
   */
  public static URI parseApiHost(String value) {
    String v = value.trim();
    if (!v.contains("://")) {
      v = "https://" + v;
    }
    while (v.endsWith("/")) {
      v = v.substring(0, v.length() - 1);
    }
    if (v.endsWith("/api/v1")) {
      v = v.substring(0, v.length() - "/api/v1".length());
    }
    return URI.create(v);
  }

  /** @param v the namespace @return a copy with it */
  public WhiskSettings withNamespace(String v) {
    return new WhiskSettings(apiHost, authKey, v, insecure, caFile, connectTimeout,
        requestTimeout, maxRetries, retryBaseDelay, retryMaxDelay);
  }

  /** @param v true to skip certificate checks @return a copy with it */
  public WhiskSettings withInsecure(boolean v) {
    return new WhiskSettings(apiHost, authKey, namespace, v, caFile, connectTimeout,
        requestTimeout, maxRetries, retryBaseDelay, retryMaxDelay);
  }

  /** @param v a PEM CA file, or null @return a copy with it */
  public WhiskSettings withCaFile(Path v) {
    return new WhiskSettings(apiHost, authKey, namespace, insecure, v, connectTimeout,
        requestTimeout, maxRetries, retryBaseDelay, retryMaxDelay);
  }

  /** @param connect connect limit @param request request limit @return a copy with them */
  public WhiskSettings withTimeouts(Duration connect, Duration request) {
    return new WhiskSettings(apiHost, authKey, namespace, insecure, caFile, connect, request,
        maxRetries, retryBaseDelay, retryMaxDelay);
  }

  /**
   * @param retries the retry limit
   * @param base the first delay
   * @param max the longest delay
   * @return a copy with them
   */
  public WhiskSettings withRetries(int retries, Duration base, Duration max) {
    return new WhiskSettings(apiHost, authKey, namespace, insecure, caFile, connectTimeout,
        requestTimeout, retries, base, max);
  }

  /** Hides the key: shows only its uuid part. */
  @Override
  public String toString() {
    return "WhiskSettings[apiHost=" + apiHost + ", auth=" + authKey.substring(0,
        authKey.indexOf(':')) + ":****, namespace=" + namespace + ", insecure=" + insecure
        + ", caFile=" + caFile + ", connectTimeout=" + connectTimeout + ", requestTimeout="
        + requestTimeout + ", maxRetries=" + maxRetries + "]";
  }
}
