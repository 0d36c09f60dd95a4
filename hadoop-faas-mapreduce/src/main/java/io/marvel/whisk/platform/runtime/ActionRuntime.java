package io.marvel.whisk.platform.runtime;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The action-runtime server that runs inside a container JVM: {@code POST /init} loads a Java
 * action from its jar once, {@code POST /run} calls it with the activation's {@code value}.
 * Replies and sentinels follow the OpenWhisk Java runtime (see docs/openwhisk.md, "Action runtime
 * protocol"), with one Java 17 difference: the {@code __OW_*} activation context (and the
 * {@code env} entries of {@code /init}) are published as system properties of those names,
 * because a JVM cannot set its own environment without reflection into the JDK.
 * Requests are handled one at a time.
 */
public final class ActionRuntime implements AutoCloseable {
  /** Printed on stdout and stderr after every activation. */
  public static final String SENTINEL = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

  private final HttpServer server;
  private final Path workDir;
  private final PrintStream out;
  private final PrintStream err;
  private final ExitGuard exitGuard;
  /** Set by the server thread at /init, read by the thread that ends the runtime. */
  private volatile LoadedAction action;

  private ActionRuntime(HttpServer server, Path workDir, PrintStream out, PrintStream err,
      ExitGuard exitGuard) {
    this.server = server;
    this.workDir = workDir;
    this.out = out;
    this.err = err;
    this.exitGuard = exitGuard;
  }

  /**
   * Binds the server and starts serving.
   *
   * @param address where to listen; port 0 picks a free port
   * @param workDir where action jars are written
   * @param out the stream that carries the action's stdout (the sentinel goes there)
   * @param err the stream that carries the action's stderr
   * @return the running runtime
   * @throws IOException if the address cannot be bound
   */
  public static ActionRuntime start(InetSocketAddress address, Path workDir, PrintStream out,
      PrintStream err) throws IOException {
    return start(address, workDir, out, err, null);
  }

  /**
   * As {@link #start(InetSocketAddress, Path, PrintStream, PrintStream)}, with the guard that
   * turns the action's {@code System.exit} into an error of its activation.
   *
   * @param exitGuard the installed guard, or null when there is none
   */
  static ActionRuntime start(InetSocketAddress address, Path workDir, PrintStream out,
      PrintStream err, ExitGuard exitGuard) throws IOException {
    ActionRuntime runtime = new ActionRuntime(HttpServer.create(address, 16), workDir, out, err,
        exitGuard);
    runtime.server.createContext("/init", runtime::handleInit);
    runtime.server.createContext("/run", runtime::handleRun);
    // No executor: requests run one at a time on the server's own dispatcher thread, which
    // saves a thread hand-off per activation.
    runtime.server.setExecutor(null);
    runtime.server.start();
    return runtime;
  }

  /** @return the bound port */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handleInit(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (action != null) {
        // As Proxy.java: the message also goes to stderr, without sentinels.
        err.println(RuntimeReplies.INIT_TWICE);
        err.flush();
        reply(exchange, 502, RuntimeReplies.error(RuntimeReplies.INIT_TWICE).toString());
        return;
      }
      JsonObject value = valueOf(readBody(exchange));
      if (value == null || !value.has("main") || !value.has("code")) {
        reply(exchange, 502, RuntimeReplies.error(RuntimeReplies.MISSING_CODE).toString());
        return;
      }
      if (value.has("env") && value.get("env").isJsonObject()) {
        publish(value.getAsJsonObject("env"), "");
      }
      try {
        action = LoadedAction.load(value.get("main").getAsString(),
            value.get("code").getAsString(), workDir);
        reply(exchange, 200, "OK");
      } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
        // The stack trace is part of the activation's logs, as in OpenWhisk's runtime.
        e.printStackTrace(err);
        printSentinels();
        reply(exchange, 502, RuntimeReplies.initFailure(e).toString());
      }
    }
  }

  private void handleRun(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (action == null) {
        reply(exchange, 502, RuntimeReplies.error(RuntimeReplies.NOT_INITIALIZED).toString());
        return;
      }
      JsonObject body = parse(readBody(exchange));
      JsonElement value = body == null || !body.has("value") ? new JsonObject()
          : body.get("value");
      if (body != null) {
        publish(body, "__OW_");
      }
      int status;
      String reply;
      if (exitGuard != null) {
        exitGuard.takeAttempt();
      }
      try {
        reply = action.invoke(value).toString();
        status = 200;
      } catch (InvocationTargetException e) {
        e.getCause().printStackTrace(err);
        reply = RuntimeReplies.runFailure(e.getCause()).toString();
        status = 502;
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        e.printStackTrace(err);
        reply = RuntimeReplies.initFailure(e).toString();
        status = 502;
      }
      ExitGuard.Attempt exit = exitGuard == null ? null : exitGuard.takeAttempt();
      if (exit != null) {
        // The runtime lives on, so this is the action's own failure: an application error
        // (a 200 with an error), whatever the action did with the refusal.
        exit.where().printStackTrace(err);
        reply = RuntimeReplies.runFailure(exit.where()).toString();
        status = 200;
      }
      printSentinels();
      reply(exchange, status, reply);
    }
  }

  /**
   * Publishes string values as system properties: the {@code /run} context keys as
   * {@code __OW_<KEY>}, the {@code /init} env entries under their own names.
   */
  private static void publish(JsonObject values, String prefix) {
    for (Map.Entry<String, JsonElement> e : values.entrySet()) {
      if (!e.getKey().equals("value") && e.getValue().isJsonPrimitive()) {
        String key = prefix.isEmpty() ? e.getKey() : prefix + e.getKey().toUpperCase(Locale.ROOT);
        System.setProperty(key, e.getValue().getAsString());
      }
    }
  }

  private void printSentinels() {
    out.println(SENTINEL);
    out.flush();
    err.println(SENTINEL);
    err.flush();
  }

  private static JsonObject valueOf(String text) {
    JsonObject body = parse(text);
    if (body == null || !body.has("value") || !body.get("value").isJsonObject()) {
      return null;
    }
    return body.getAsJsonObject("value");
  }

  private static JsonObject parse(String text) {
    try {
      JsonElement element = JsonParser.parseString(text);
      return element.isJsonObject() ? element.getAsJsonObject() : null;
    } catch (JsonParseException e) {
      return null;
    }
  }

  private static String readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  /**
   * Releases the action's class loader and deletes its jar, then stops serving. The action's
   * files go first: stopping waits for an activation in flight (its handler runs on the
   * server's own thread), and a runtime that ends must not keep them meanwhile.
   */
  @Override
  public void close() throws IOException {
    discardAction();
    server.stop(0);
  }

  /**
   * Releases the action's class loader and deletes its jar, without waiting for an activation in
   * flight (which then fails): for a runtime about to end its process.
   *
   * @throws IOException if the jar cannot be deleted
   */
  public void discardAction() throws IOException {
    LoadedAction loaded = action;
    if (loaded != null) {
      loaded.close();
    }
  }
}
