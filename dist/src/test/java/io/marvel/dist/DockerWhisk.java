package io.marvel.dist;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for one OpenWhisk controller and invoker on this host, enough for the faas client
 * to deploy its task action and invoke it, whose invoker runs each action's container with
 * {@code docker run} as OpenWhisk's does. It answers the REST calls of Marvel's WhiskClient
 * (actions: get, put, list, invoke blocking; activations: get, list; limits) for any namespace
 * and any key, and keeps one warm container per action, sent one activation at a time.
 *
 * <p>How the container runs follows apache/openwhisk: {@code DockerContainer.scala}
 * ({@code --cpu-shares}, {@code --memory} and {@code --memory-swap} of the action's memory,
 * {@code --network}, {@code -e} for the environment, no {@code --user}: the image's own user),
 * {@code InvokerReactive.scala} (the parameters every container gets: {@code --cap-drop NET_RAW
 * --cap-drop NET_ADMIN --ulimit nofile=1024:1024 --pids-limit 1024}), {@code Container.scala}
 * ({@code /init} once with the action's code, then {@code /run} per activation with the
 * activation context). The network is the host's and the runtime listens on 127.0.0.1 at a port
 * of its own (MARVEL_RUNTIME_LISTEN), as several containers on one host must; the volumes are
 * the operator's extra arguments.
 */
final class DockerWhisk implements AutoCloseable {
  private final String image;
  private final List<String> volumes;
  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, JsonObject> actions = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> activations = new ConcurrentHashMap<>();
  private final Map<String, Warm> warm = new LinkedHashMap<>();
  private final List<String> containers = new ArrayList<>();

  /** A running container of one revision of an action. */
  private record Warm(String container, int port, String version) {
  }

  /**
   * @param image the image every action runs in (a blackbox action's own image is ignored)
   * @param volumes {@code -v} arguments of every container, as an operator's extra arguments
   * @throws IOException if the REST server cannot bind
   */
  DockerWhisk(String image, List<String> volumes) throws IOException {
    this.image = image;
    this.volumes = List.copyOf(volumes);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/namespaces/", this::serve);
    server.setExecutor(handlers);
    server.start();
  }

  /** @return the API host to give the faas client */
  String apiHost() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** @return the names of the containers started so far, in order */
  synchronized List<String> containers() {
    return List.copyOf(containers);
  }

  /** @return the records of the activations so far */
  List<JsonObject> activations() {
    return List.copyOf(activations.values());
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String[] path = exchange.getRequestURI().getPath().split("/");
      // /api/v1/namespaces/<ns>/<collection>[/<name>]
      String ns = path.length > 4 ? path[4] : "_";
      String collection = path.length > 5 ? path[5] : "";
      String name = path.length > 6 ? path[6] : null;
      String method = exchange.getRequestMethod();
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (collection.equals("limits")) {
        reply(exchange, 200, stockLimits());
      } else if (collection.equals("actions") && name == null) {
        JsonArray list = new JsonArray();
        actions.values().forEach(list::add);
        reply(exchange, 200, list);
      } else if (collection.equals("actions") && method.equals("PUT")) {
        reply(exchange, 200, put(ns, name, JsonParser.parseString(
            new String(body, StandardCharsets.UTF_8)).getAsJsonObject()));
      } else if (collection.equals("actions") && method.equals("POST")) {
        invoke(exchange, name, JsonParser.parseString(body.length == 0 ? "{}"
            : new String(body, StandardCharsets.UTF_8)).getAsJsonObject());
      } else if (collection.equals("actions") && actions.containsKey(name)) {
        reply(exchange, 200, method.equals("DELETE") ? actions.remove(name) : actions.get(name));
      } else if (collection.equals("activations") && name == null) {
        String query = exchange.getRequestURI().getQuery();
        JsonArray list = new JsonArray();
        activations.values().stream().filter(a -> query == null
            || !query.contains("name=") || query.contains("name=" + a.get("name").getAsString()))
            .forEach(list::add);
        reply(exchange, 200, list);
      } else if (collection.equals("activations") && activations.containsKey(name)) {
        reply(exchange, 200, activations.get(name));
      } else {
        reply(exchange, 404, error("The requested resource does not exist."));
      }
    } catch (RuntimeException | InterruptedException e) {
      reply(exchange, 500, error("Internal server error: " + e));
    }
  }

  private JsonObject put(String ns, String name, JsonObject update) {
    JsonObject action = actions.getOrDefault(name, new JsonObject()).deepCopy();
    int patch = action.has("version") ? Integer.parseInt(action.get("version").getAsString()
        .replaceFirst(".*\\.", "")) + 1 : 1;
    action.addProperty("namespace", ns);
    action.addProperty("name", name);
    action.addProperty("version", "0.0." + patch);
    action.addProperty("publish", false);
    action.addProperty("updated", System.currentTimeMillis());
    for (String field : List.of("exec", "limits", "annotations", "parameters")) {
      if (update.has(field)) {
        action.add(field, update.get(field));
      }
    }
    actions.put(name, action);
    return action;
  }

  /**
   * A stock deployment's namespace limits: the action limits of common/scala/.../application.conf
   * (whisk {}), the throttles of a standalone OpenWhisk (standalone.conf), in the fields and units
   * of core/controller/.../Limits.scala.
   */
  private static JsonObject stockLimits() {
    JsonObject limits = new JsonObject();
    limits.addProperty("invocationsPerMinute", 60);
    limits.addProperty("concurrentInvocations", 30);
    limits.addProperty("minActionMemory", 128);
    limits.addProperty("maxActionMemory", 512);
    limits.addProperty("minActionTimeout", 100);
    limits.addProperty("maxActionTimeout", 300_000);
    limits.addProperty("minActionLogs", 0);
    limits.addProperty("maxActionLogs", 10);
    limits.addProperty("minActionConcurrency", 1);
    limits.addProperty("maxActionConcurrency", 1);
    return limits;
  }

  private void invoke(HttpExchange exchange, String name, JsonObject params)
      throws IOException, InterruptedException {
    JsonObject action = actions.get(name);
    if (action == null) {
      reply(exchange, 404, error("The requested resource does not exist."));
      return;
    }
    String id = UUID.randomUUID().toString().replace("-", "");
    JsonObject record = activate(action, id, params);
    activations.put(id, record);
    exchange.getResponseHeaders().add("x-openwhisk-activation-id", id);
    boolean success = record.getAsJsonObject("response").get("success").getAsBoolean();
    reply(exchange, success ? 200 : 502, record);
  }

  /** One activation, on the action's warm container or a new one; one at a time. */
  private synchronized JsonObject activate(JsonObject action, String id, JsonObject params)
      throws IOException, InterruptedException {
    String name = action.get("name").getAsString();
    String ns = action.get("namespace").getAsString();
    String version = action.get("version").getAsString();
    JsonObject limits = action.getAsJsonObject("limits");
    int timeoutMs = limits.get("timeout").getAsInt();
    long start = System.currentTimeMillis();
    Warm container = warm.get(name);
    if (container != null && !container.version().equals(version)) {
      Docker.removeQuietly("rm", List.of(container.container()));
      container = null;
    }
    JsonObject context = new JsonObject();
    context.addProperty("namespace", ns);
    context.addProperty("action_name", "/" + ns + "/" + name);
    context.addProperty("action_version", version);
    context.addProperty("activation_id", id);
    context.addProperty("transaction_id", id);
    context.addProperty("deadline", Long.toString(start + timeoutMs));
    Reply reply = null;
    if (container == null) {
      container = start(name, version, limits.get("memory").getAsInt());
      JsonObject env = new JsonObject();
      context.entrySet().forEach(e -> env.add("__OW_" + e.getKey().toUpperCase(), e.getValue()));
      JsonObject exec = action.getAsJsonObject("exec");
      JsonObject init = new JsonObject();
      init.addProperty("name", name);
      // As WhiskAction's containerInitializer: main defaults to "main", code only if present.
      init.add("main", exec.has("main") ? exec.get("main") : new JsonPrimitive("main"));
      if (exec.has("code")) {
        init.add("code", exec.get("code"));
      }
      init.addProperty("binary", exec.has("code"));
      init.add("env", env);
      JsonObject value = new JsonObject();
      value.add("value", init);
      reply = post(container.port(), "/init", value, timeoutMs);
      if (reply.status() != 200) {
        Docker.removeQuietly("rm", List.of(container.container()));
        return record(action, id, start, "action developer error", reply.json());
      }
      warm.put(name, container);
    }
    JsonObject run = context.deepCopy();
    run.add("value", params);
    reply = post(container.port(), "/run", run, timeoutMs);
    JsonElement result = reply.json();
    if (reply.status() == 200 && result.isJsonObject() && !result.getAsJsonObject().has("error")) {
      return record(action, id, start, "success", result);
    }
    return record(action, id, start, reply.status() == 200 ? "application error"
        : "action developer error", result);
  }

  private Warm start(String name, String version, int memoryMb)
      throws IOException, InterruptedException {
    int port = freePort();
    String container = "marvel-test-" + name.replaceAll("[^A-Za-z0-9_.-]", "-") + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    List<String> args = new ArrayList<>(List.of("run", "-d", "--name", container,
        "--cpu-shares", "1024", "--memory", memoryMb + "m", "--memory-swap", memoryMb + "m",
        "--network", "host", "-e", "__OW_API_HOST=" + apiHost(),
        "-e", "MARVEL_RUNTIME_LISTEN=127.0.0.1:" + port,
        "--cap-drop", "NET_RAW", "--cap-drop", "NET_ADMIN", "--ulimit", "nofile=1024:1024",
        "--pids-limit", "1024"));
    for (String volume : volumes) {
      args.add("-v");
      args.add(volume);
    }
    args.add(image);
    synchronized (this) {
      containers.add(container);
    }
    Docker.ok(120, args);
    awaitPort(container, port);
    return new Warm(container, port, version);
  }

  /** OpenWhisk retries /init while the container's port refuses connections; so do we. */
  private static void awaitPort(String container, int port)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException refused) {
        String state = Docker.ok(30, "inspect", "-f", "{{.State.Running}}", container).strip();
        if (!state.equals("true") || System.nanoTime() > end) {
          throw new IOException("container " + container + " did not listen on port " + port
              + " (running: " + state + "); its logs:\n"
              + Docker.run(30, "logs", container).err());
        }
        Thread.sleep(100);
      }
    }
  }

  private Reply post(int port, String path, JsonObject body, int timeoutMs)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofMillis(timeoutMs)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonElement json;
    try {
      json = JsonParser.parseString(response.body());
    } catch (RuntimeException e) {
      json = error("The action did not produce a valid JSON response: " + response.body());
    }
    return new Reply(response.statusCode(), json.isJsonNull() ? new JsonObject() : json);
  }

  private record Reply(int status, JsonElement json) {
  }

  private static JsonObject record(JsonObject action, String id, long start, String status,
      JsonElement result) {
    long end = System.currentTimeMillis();
    JsonObject response = new JsonObject();
    response.addProperty("status", status);
    response.addProperty("success", status.equals("success"));
    response.add("result", result);
    JsonObject record = new JsonObject();
    record.addProperty("activationId", id);
    record.add("namespace", action.get("namespace"));
    record.add("name", action.get("name"));
    record.add("version", action.get("version"));
    record.addProperty("start", start);
    record.addProperty("end", end);
    record.addProperty("duration", end - start);
    record.add("response", response);
    record.add("logs", new JsonArray());
    record.add("annotations", new JsonArray());
    return record;
  }

  private static JsonObject error(String message) {
    JsonObject error = new JsonObject();
    error.addProperty("error", message);
    return error;
  }

  private static void reply(HttpExchange exchange, int status, JsonElement body)
      throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Stops the REST server and removes every container it started. */
  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
    Docker.removeQuietly("rm", containers());
  }
}
