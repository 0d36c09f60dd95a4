package io.marvel.whisk.platform.runtime;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.marvel.whisk.platform.runtime.RuntimeHttpServer.Reply;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The action-runtime server that runs inside a container JVM: {@code POST /init} loads a Java
 * action from its jar once, {@code POST /run} calls it with the activation's {@code value}.
 * Replies and sentinels follow the OpenWhisk Java runtime (see docs/openwhisk.md, "Action runtime
 * protocol"), with one Java 17 difference: the {@code __OW_*} activation context (and the
 * {@code env} entries of {@code /init}) are published as system properties of those names,
 * because a JVM cannot set its own environment without reflection into the JDK.
 * Requests are handled one at a time, by a {@link RuntimeHttpServer}.
 */
public final class ActionRuntime implements AutoCloseable {
  /** Printed on stdout and stderr after every activation. */
  public static final String SENTINEL = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

  private static final String INIT = "/init";
  private static final String RUN = "/run";

  private final RuntimeHttpServer server;
  private final Path workDir;
  private final PrintStream out;
  private final PrintStream err;
  private final ExitGuard exitGuard;
  /** Set by the server thread at /init, read by the thread that ends the runtime. */
  private volatile LoadedAction action;

  private ActionRuntime(InetSocketAddress address, Path workDir, PrintStream out,
      PrintStream err, ExitGuard exitGuard) throws IOException {
    this.workDir = workDir;
    this.out = out;
    this.err = err;
    this.exitGuard = exitGuard;
    // Last: the server's threads start with every other field set.
    this.server = RuntimeHttpServer.start(address, 16, Set.of(INIT, RUN), this::handle);
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
    return new ActionRuntime(address, workDir, out, err, exitGuard);
  }

  /** @return the bound port */
  public int port() {
    return server.port();
  }

  private Reply handle(String path, String body) {
    return path.equals(INIT) ? init(body) : run(body);
  }

  private Reply init(String text) {
    if (action != null) {
      // As Proxy.java: the message also goes to stderr, without sentinels.
      err.println(RuntimeReplies.INIT_TWICE);
      err.flush();
      return new Reply(502, RuntimeReplies.error(RuntimeReplies.INIT_TWICE).toString());
    }
    JsonObject value = valueOf(text);
    if (value == null || !value.has("main") || !value.has("code")) {
      return new Reply(502, RuntimeReplies.error(RuntimeReplies.MISSING_CODE).toString());
    }
    if (value.has("env") && value.get("env").isJsonObject()) {
      publish(value.getAsJsonObject("env"), "");
    }
    try {
      action = LoadedAction.load(value.get("main").getAsString(),
          value.get("code").getAsString(), workDir);
      return new Reply(200, "OK");
    } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
      // The stack trace is part of the activation's logs, as in OpenWhisk's runtime.
      e.printStackTrace(err);
      printSentinels();
      return new Reply(502, RuntimeReplies.initFailure(e).toString());
    }
  }

  private Reply run(String text) {
    if (action == null) {
      return new Reply(502, RuntimeReplies.error(RuntimeReplies.NOT_INITIALIZED).toString());
    }
    JsonObject body = parse(text);
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
    return new Reply(status, reply);
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

  /**
   * Releases the action's class loader and deletes its jar, then stops serving: an activation
   * in flight gets no reply.
   */
  @Override
  public void close() throws IOException {
    discardAction();
    server.close();
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
