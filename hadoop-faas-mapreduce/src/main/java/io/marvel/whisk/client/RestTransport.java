package io.marvel.whisk.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one REST call to {@code <apihost>/api/v1/namespaces/<ns>/...} with Basic auth, the
 * time limits and the retries of {@link RetryPolicy}. Thread-safe.
 */
final class RestTransport {
  private static final Logger LOG = LoggerFactory.getLogger(RestTransport.class);

  private final WhiskSettings settings;
  private final HttpClient http;
  private final RetryPolicy retry;
  private final String authorization;

  /**
   * A reply: status, body text, and the activation id header if present.
   *
   * @param status HTTP status
   * @param body body text
   * @param activationId the {@code x-openwhisk-activation-id} header, or null
   * @param endpoint method and URL of the call
   * @param retryAfter the server's {@code Retry-After} in seconds, or null
   */
  record Reply(int status, String body, String activationId, String endpoint,
      Duration retryAfter) {
    /** @return the body as JSON, or null if it is not JSON */
    JsonElement json() {
      try {
        return body.isEmpty() ? null : JsonParser.parseString(body);
      } catch (JsonParseException e) {
        return null;
      }
    }
  }

  RestTransport(WhiskSettings settings) throws IOException {
    this.settings = settings;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.connectTimeout());
    if (settings.apiHost().getScheme().equalsIgnoreCase("https")) {
      builder.sslContext(TlsContexts.forSettings(settings));
    }
    this.http = builder.build();
    this.retry = new RetryPolicy(settings.maxRetries(), settings.retryBaseDelay(),
        settings.retryMaxDelay());
    this.authorization = "Basic " + Base64.getEncoder().encodeToString(
        settings.authKey().getBytes(StandardCharsets.UTF_8));
  }

  WhiskSettings settings() {
    return settings;
  }

  /**
   * @param method HTTP method
   * @param path below the namespace, e.g. {@code actions/foo}
   * @param query query parameters (may be empty)
   * @param body JSON body, or null
   * @param wait extra time the server may take (a blocking invoke's wait), added to the request
   *     timeout
   * @param idempotent whether repeating the call is harmless
   * @param what the operation for error messages, e.g. {@code invoke action 'foo'}
   * @return the reply, whatever its status, once retries are done
   * @throws WhiskException if no reply could be had
   */
  Reply send(String method, String path, Map<String, String> query, JsonElement body,
      Duration wait, boolean idempotent, String what) throws WhiskException {
    HttpRequest request = request(method, uri(path, query), body, wait);
    String endpoint = method + " " + request.uri();
    for (int retries = 0; ; retries++) {
      IOException error = null;
      Reply reply = null;
      try {
        HttpResponse<String> r = http.send(request,
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        reply = new Reply(r.statusCode(), r.body(),
            r.headers().firstValue("x-openwhisk-activation-id").orElse(null), endpoint,
            r.headers().firstValue("Retry-After").map(RestTransport::seconds).orElse(null));
      } catch (IOException e) {
        error = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WhiskException(what + " was interrupted (" + endpoint + ")", 0, endpoint, null,
            null, e);
      }
      int status = reply == null ? 0 : reply.status();
      Optional<Duration> delay = retry.nextDelay(retries, status, error, idempotent,
          reply == null ? null : reply.retryAfter(), ThreadLocalRandom.current().nextDouble());
      if (delay.isEmpty()) {
        if (error != null) {
          throw unreachable(what, endpoint, error, retries);
        }
        return reply;
      }
      LOG.debug("{}: {} from {}, retry {} in {} ms", what, error != null ? error : status,
          endpoint, retries + 1, delay.get().toMillis());
      sleep(delay.get(), what, endpoint);
    }
  }

  private HttpRequest request(String method, URI uri, JsonElement body, Duration wait) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
        .timeout(settings.requestTimeout().plus(wait))
        .header("Authorization", authorization)
        .header("Accept", "application/json")
        .header("User-Agent", "marvel-whisk-client");
    if (body == null) {
      return rb.method(method, HttpRequest.BodyPublishers.noBody()).build();
    }
    return rb.header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body.toString(),
            StandardCharsets.UTF_8))
        .build();
  }

  /** OpenWhisk sends no Retry-After, but proxies in front of it may (seconds form only). */
  private static Duration seconds(String value) {
    try {
      return Duration.ofSeconds(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void sleep(Duration d, String what, String endpoint) throws WhiskException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WhiskException(what + " was interrupted (" + endpoint + ")", 0, endpoint, null,
          null, e);
    }
  }

  private WhiskException unreachable(String what, String endpoint, IOException e, int retries) {
    String why;
    if (e instanceof HttpConnectTimeoutException) {
      why = "cannot reach OpenWhisk at " + settings.apiHost() + ": no connection within "
          + settings.connectTimeout().toMillis() + " ms";
    } else if (e instanceof HttpTimeoutException) {
      why = "OpenWhisk at " + settings.apiHost() + " gave no reply within the time limit";
    } else if (e instanceof ConnectException) {
      why = "cannot reach OpenWhisk at " + settings.apiHost() + ": connection refused";
    } else if (e instanceof SSLException) {
      why = "TLS with OpenWhisk at " + settings.apiHost() + " failed (" + e.getMessage()
          + "); give the server's CA file, or use insecure mode for a development setup";
    } else {
      why = "the connection to OpenWhisk at " + settings.apiHost() + " failed: " + e;
    }
    String tries = retries > 0 ? " after " + (retries + 1) + " attempts" : "";
    return new WhiskException(what + " failed" + tries + ": " + why + " (" + endpoint
        + "); check the apihost and that OpenWhisk is running", 0, endpoint, null, null, e);
  }

  /**
   * Builds the exception for an error reply.
   *
   * @param reply the reply (status 400 or more)
   * @param what the operation
   * @return the exception naming operation, endpoint, status, OpenWhisk's message and code
   */
  static WhiskException failure(Reply reply, String what) {
    String error = null;
    String code = null;
    JsonElement json = reply.json();
    if (json != null && json.isJsonObject()) {
      JsonObject o = json.getAsJsonObject();
      error = o.has("error") && o.get("error").isJsonPrimitive() ? o.get("error").getAsString()
          : o.has("error") ? o.get("error").toString() : null;
      code = o.has("code") ? o.get("code").getAsString() : null;
    }
    StringBuilder m = new StringBuilder(what).append(" failed: ").append(reply.status());
    m.append(' ').append(error != null ? error : abbreviate(reply.body()));
    if (code != null) {
      m.append(" (code ").append(code).append(')');
    }
    m.append(" at ").append(reply.endpoint());
    switch (reply.status()) {
      case 401 -> m.append("; check the auth key (AUTH in ~/.wskprops or __OW_API_KEY)");
      case 403 -> m.append("; check the namespace (NAMESPACE in ~/.wskprops or"
          + " __OW_NAMESPACE)");
      case 429 -> m.append("; OpenWhisk throttled the call and retries did not get through,"
          + " lower the request rate or raise the namespace limits");
      default -> {
      }
    }
    return new WhiskException(m.toString(), reply.status(), reply.endpoint(), error, code, null);
  }

  private static String abbreviate(String body) {
    return body.length() <= 200 ? body : body.substring(0, 200) + "...";
  }

  private URI uri(String path, Map<String, String> query) {
    StringBuilder s = new StringBuilder(settings.apiHost().toString())
        .append("/api/v1/namespaces/").append(encode(settings.namespace()));
    if (!path.isEmpty()) {
      s.append('/').append(path);
    }
    if (!query.isEmpty()) {
      StringJoiner q = new StringJoiner("&", "?", "");
      query.forEach((k, v) -> q.add(encode(k) + "=" + encode(v)));
      s.append(q);
    }
    return URI.create(s.toString());
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
