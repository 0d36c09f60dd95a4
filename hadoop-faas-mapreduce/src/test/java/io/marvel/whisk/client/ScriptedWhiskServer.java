package io.marvel.whisk.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A test HTTP server that answers with scripted replies, for what a real OpenWhisk does but the
 * embedded platform cannot be made to do on demand: 202 after a long blocking wait, 429 bursts,
 * 503. Replies follow docs/openwhisk.md, "Error replies" and "Invoke": JSON error bodies
 * {@code {"error", "code"}}, the activation-id header on invokes. Records every request line
 * and body. Public for the faas client's tests of what it sends to a stock OpenWhisk.
 */
public final class ScriptedWhiskServer implements AutoCloseable {
  /** One scripted reply. */
  record Reply(int status, String body, String activationId) {
  }

  /**
   * One request as received.
   *
   * @param method the HTTP method
   * @param uri the request URI (path and query)
   * @param body the request body, empty if none
   */
  public record Request(String method, String uri, String body) {
  }

  private final HttpServer server;
  private final Deque<Reply> script = new ArrayDeque<>();
  private final List<Request> requests = new ArrayList<>();

  /** An API key in OpenWhisk's {@code uuid:key} form; the server takes any key. */
  public static final String KEY = "23bc46b1-71f6-4ed5-8c54-816aa4f8c502:"
      + "123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP";

  /** Starts the server on a free port of 127.0.0.1. @throws IOException if it cannot bind */
  public ScriptedWhiskServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** @return the settings of a client of this server, with {@link #KEY} */
  public WhiskSettings settings() {
    return WhiskSettings.of(apiHost(), KEY);
  }

  /** @return its base URL */
  public URI apiHost() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Scripts a dropped connection: the request is read and the socket closed, no reply. */
  synchronized ScriptedWhiskServer thenDrop() {
    script.add(new Reply(0, "", null));
    return this;
  }

  /** Scripts the next reply. @return this */
  public synchronized ScriptedWhiskServer then(int status, String body) {
    script.add(new Reply(status, body, null));
    return this;
  }

  synchronized ScriptedWhiskServer then(int status, String body, String activationId) {
    script.add(new Reply(status, body, activationId));
    return this;
  }

  /** @return each request's method and URI, in order */
  public synchronized List<String> requests() {
    return requests.stream().map(r -> r.method() + " " + r.uri()).toList();
  }

  /** @return each request with its body, in order */
  public synchronized List<Request> requestsWithBodies() {
    return List.copyOf(requests);
  }

  /** @param message the error text @return an OpenWhisk error body */
  public static String error(String message) {
    return "{\"error\":\"" + message + "\",\"code\":\"4e6b0c0f5b8a4b2d9a8e\"}";
  }

  static String activation(String id, String status, String result) {
    return "{\"activationId\":\"" + id + "\",\"namespace\":\"guest\",\"name\":\"a\","
        + "\"start\":1,\"end\":3,\"duration\":2,\"logs\":[],\"annotations\":[],"
        + "\"response\":{\"result\":" + result + ",\"status\":\"" + status + "\","
        + "\"success\":" + status.equals("success") + "}}";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Reply reply;
      synchronized (this) {
        requests.add(new Request(exchange.getRequestMethod(),
            exchange.getRequestURI().toString(), body));
        reply = script.isEmpty() ? new Reply(500, error("script exhausted"), null)
            : script.poll();
      }
      if (reply.status() == 0) {
        // Closing the exchange before any reply makes the server drop the connection.
        return;
      }
      if (reply.activationId() != null) {
        exchange.getResponseHeaders().set("x-openwhisk-activation-id", reply.activationId());
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.status(), bytes.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }
}
