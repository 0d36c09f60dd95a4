package io.marvel.whisk.platform.controller;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One REST request and its reply: path segments, query parameters, a size-limited JSON body,
 * and replies that carry the transaction id ({@code X-Request-ID}) and CORS headers like
 * OpenWhisk's controller.
 */
final class ApiExchange {
  /** The controller's raw body limit, as OpenWhisk's (50 MB). */
  static final int MAX_BODY_BYTES = 50 * 1024 * 1024;

  private final HttpExchange exchange;
  private final String transactionId = UUID.randomUUID().toString().replace("-", "");
  private final long receivedAtMs = System.currentTimeMillis();
  private final List<String> segments;
  private final Map<String, String> query;

  ApiExchange(HttpExchange exchange) {
    this.exchange = exchange;
    String path = exchange.getRequestURI().getRawPath();
    this.segments = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    this.query = parseQuery(exchange.getRequestURI().getRawQuery());
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    Arrays.stream(raw.split("&")).filter(p -> !p.isEmpty()).forEach(p -> {
      int eq = p.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
      q.put(k, v);
    });
    return q;
  }

  String method() {
    return exchange.getRequestMethod();
  }

  List<String> segments() {
    return segments;
  }

  String query(String name) {
    return query.get(name);
  }

  boolean flag(String name) {
    return "true".equalsIgnoreCase(query.get(name));
  }

  String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  String transactionId() {
    return transactionId;
  }

  long receivedAtMs() {
    return receivedAtMs;
  }

  /**
   * Reads the body as JSON.
   *
   * @param limit the largest body accepted, in bytes
   * @return the JSON, or an empty object for an empty body
   * @throws ApiException 413 when larger than {@code limit}, 400 when not JSON
   */
  JsonElement jsonBody(int limit) throws ApiException, IOException {
    // Not closed here: reply() drains what is left so the connection stays reusable.
    InputStream in = exchange.getRequestBody();
    byte[] bytes = in.readNBytes(limit + 1);
    if (bytes.length > limit) {
      throw new ApiException(413, "Request larger than allowed: " + (bytes.length
          + in.transferTo(OutputStream.nullOutputStream())) + " > " + limit + " bytes.");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return new JsonObject();
    }
    try {
      return JsonParser.parseString(text);
    } catch (JsonParseException e) {
      throw ApiException.badRequest("The request content was malformed:\n" + e.getMessage());
    }
  }

  /** Sends a JSON reply. */
  void reply(int status, JsonElement body) throws IOException {
    reply(status, body.toString());
  }

  /** Sends OpenWhisk's error body {@code {"error", "code"}}. */
  void error(int status, String message) throws IOException {
    JsonObject body = new JsonObject();
    body.addProperty("error", message);
    body.addProperty("code", transactionId);
    if (status == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate",
          "Basic realm=\"OpenWhisk secure realm\"");
    }
    reply(status, body.toString());
  }

  void header(String name, String value) {
    exchange.getResponseHeaders().set(name, value);
  }

  private void reply(int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("X-Request-ID", transactionId);
    exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
    exchange.getResponseHeaders().set("Access-Control-Allow-Methods",
        "GET, DELETE, POST, PUT, HEAD");
    exchange.getResponseHeaders().set("Access-Control-Allow-Headers",
        "Authorization, Origin, X-Requested-With, Content-Type, Accept, User-Agent");
    // Drain what the client sent but we did not read, so the connection can be reused.
    exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }
}
