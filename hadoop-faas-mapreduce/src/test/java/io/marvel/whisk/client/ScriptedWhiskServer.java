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
 * {@code {"error", "code"}}, the activation-id header on invokes. Records every request line.
 */
final class ScriptedWhiskServer implements AutoCloseable {
  /** One scripted reply. */
  record Reply(int status, String body, String activationId) {
  }

  private final HttpServer server;
  private final Deque<Reply> script = new ArrayDeque<>();
  private final List<String> requests = new ArrayList<>();

  ScriptedWhiskServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  URI apiHost() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Scripts a dropped connection: the request is read and the socket closed, no reply. */
  synchronized ScriptedWhiskServer thenDrop() {
    script.add(new Reply(0, "", null));
    return this;
  }

  synchronized ScriptedWhiskServer then(int status, String body) {
    script.add(new Reply(status, body, null));
    return this;
  }

  synchronized ScriptedWhiskServer then(int status, String body, String activationId) {
    script.add(new Reply(status, body, activationId));
    return this;
  }

  synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  static String error(String message) {
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
      exchange.getRequestBody().readAllBytes();
      Reply reply;
      synchronized (this) {
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
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
