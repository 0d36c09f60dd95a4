package io.marvel.whisk.platform.controller;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.marvel.whisk.platform.settings.PlatformSettings;
import io.marvel.whisk.platform.invoker.Invoker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST front of the embedded platform: the subset of OpenWhisk's controller API that
 * clients use (actions, invoke, activations, namespaces, limits) with OpenWhisk's paths, status
 * codes and error bodies. Binds 127.0.0.1 only. Construct with {@link #bind}, then
 * {@link #start}, then {@link #close}.
 */
public final class Controller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final PlatformSettings settings;
  private final NamespaceLimits limits;
  private AuthKey key;
  private ActionRoutes actionRoutes;
  private ActivationRoutes activationRoutes;

  private Controller(HttpServer server, PlatformSettings settings) {
    this.server = server;
    this.settings = settings;
    this.limits = new NamespaceLimits(settings);
    AtomicLong n = new AtomicLong();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "controller-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Binds the port without serving yet, so the API host is known before the invoker exists.
   *
   * @param settings the platform settings (port, namespace, throttles, record bound)
   * @return the bound controller
   * @throws IOException if the port cannot be bound, naming it
   */
  public static Controller bind(PlatformSettings settings) throws IOException {
    // The JDK server otherwise leaves Nagle on, which adds tens of ms to small replies.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port());
    try {
      return new Controller(HttpServer.create(address, 256), settings);
    } catch (IOException e) {
      throw new IOException("cannot bind the OpenWhisk controller to 127.0.0.1:"
          + settings.port() + " (" + e.getMessage() + "); choose another --port or stop the"
          + " process that holds it", e);
    }
  }

  /** @return {@code http://127.0.0.1:<port>} */
  public URI apiHost() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Starts serving.
   *
   * @param authKey the only key accepted
   * @param invoker where activations run
   */
  public void start(AuthKey authKey, Invoker invoker) {
    this.key = authKey;
    ActivationStore activations = new ActivationStore(settings.maxActivationRecords());
    Throttle throttle = new Throttle(settings.invocationsPerMinute(),
        settings.concurrentInvocations());
    InvokeRoute invoke = new InvokeRoute(invoker, activations, throttle, settings.namespace(),
        authKey.asString(), limits.maxPayloadBytes());
    this.actionRoutes = new ActionRoutes(new ActionStore(), invoke, limits);
    this.activationRoutes = new ActivationRoutes(activations);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    // The JDK server's dispatcher thread takes the daemon flag of the thread that starts it.
    // Started from the caller's (a driver's main thread), it would keep that JVM alive after
    // main returned, and the shutdown hook that stops the platform would never run.
    try {
      executor.submit(server::start).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the controller", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the controller did not start", e.getCause());
    }
    LOG.info("OpenWhisk controller listening on {}", apiHost());
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      ApiExchange ex = new ApiExchange(exchange);
      try {
        route(ex);
      } catch (ApiException e) {
        ex.error(e.status(), e.getMessage());
      } catch (RuntimeException e) {
        LOG.error("request {} {} failed (transaction {})", ex.method(),
            exchange.getRequestURI().getPath(), ex.transactionId(), e);
        ex.error(500, "Internal server error: " + e.getMessage());
      }
    } catch (IOException e) {
      LOG.debug("client went away during {}: {}", exchange.getRequestURI(), e.toString());
    }
  }

  private void route(ApiExchange ex) throws ApiException, IOException {
    if (ex.method().equals("OPTIONS")) {
      ex.reply(200, new JsonObject());
      return;
    }
    List<String> s = ex.segments();
    if (s.size() < 2 || !s.get(0).equals("api") || !s.get(1).equals("v1")) {
      throw ApiException.notFound();
    }
    if (s.size() == 2) {
      ActionRoutes.requireMethod(ex, "GET");
      ex.reply(200, info());
      return;
    }
    if (!s.get(2).equals("namespaces")) {
      throw ApiException.notFound();
    }
    authenticate(ex);
    if (s.size() == 3) {
      ActionRoutes.requireMethod(ex, "GET");
      JsonArray names = new JsonArray();
      names.add(settings.namespace());
      ex.reply(200, names);
      return;
    }
    String namespace = s.get(3).equals("_") ? settings.namespace() : s.get(3);
    if (!namespace.equals(settings.namespace())) {
      throw new ApiException(403, "The supplied authentication is not authorized to access '"
          + namespace + "'.");
    }
    if (s.size() == 4) {
      throw ApiException.notFound();
    }
    List<String> rest = s.subList(5, s.size());
    switch (s.get(4)) {
      case "actions" -> actionRoutes.handle(ex, namespace, rest);
      case "activations" -> activationRoutes.handle(ex, namespace, rest);
      case "limits" -> {
        ActionRoutes.requireMethod(ex, "GET");
        ex.reply(200, limits.toJson());
      }
      default -> throw ApiException.notFound();
    }
  }

  private void authenticate(ApiExchange ex) throws ApiException {
    String header = ex.header("Authorization");
    if (header == null) {
      throw new ApiException(401, "The resource requires authentication, which was not"
          + " supplied with the request");
    }
    if (!key.matches(header)) {
      throw new ApiException(401, "The supplied authentication is invalid");
    }
  }

  private static JsonObject info() {
    JsonObject o = new JsonObject();
    JsonArray paths = new JsonArray();
    paths.add("/api/v1");
    o.add("api_paths", paths);
    o.addProperty("description", "OpenWhisk-compatible API of Marvel's embedded platform");
    o.addProperty("api_version", "1.0.0");
    o.addProperty("api_version_path", "v1");
    o.addProperty("build", "marvel");
    return o;
  }

  /** Stops accepting requests; requests in progress are cut off. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
