package io.marvel.whisk.platform;

import io.marvel.whisk.client.WhiskSettings;
import io.marvel.whisk.platform.controller.AuthKey;
import io.marvel.whisk.platform.controller.Controller;
import io.marvel.whisk.platform.invoker.Invoker;
import io.marvel.whisk.platform.invoker.PoolSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-machine OpenWhisk-compatible platform: a controller speaking OpenWhisk's REST API on
 * 127.0.0.1 and an invoker running each container as a separate JVM. The API key is generated on
 * first start and kept in {@code <dataDir>/auth} (mode 600). Thread-safe. {@link #close()} (also
 * run by a JVM shutdown hook) destroys every container process before it returns.
 *
 * <pre>{@code
 * try (EmbeddedWhisk whisk = EmbeddedWhisk.start(PlatformSettings.builder(dir).build());
 *      WhiskClient client = WhiskClient.create(whisk.clientSettings())) {
 *   ...
 * }
 * }</pre>
 */
public final class EmbeddedWhisk implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedWhisk.class);
  /** Name of the key file inside the data directory. */
  public static final String AUTH_FILE = "auth";

  private final PlatformSettings settings;
  private final AuthKey key;
  private final Path authFile;
  private final Controller controller;
  private final Invoker invoker;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedWhisk(PlatformSettings settings, AuthKey key, Path authFile,
      Controller controller, Invoker invoker) {
    this.settings = settings;
    this.key = key;
    this.authFile = authFile;
    this.controller = controller;
    this.invoker = invoker;
    this.shutdownHook = new Thread(this::stop, "embedded-whisk-shutdown");
  }

  /**
   * Starts the platform.
   *
   * @param settings the settings
   * @return the running platform
   * @throws IOException if the data directory or key file cannot be used, or the port is taken
   */
  public static EmbeddedWhisk start(PlatformSettings settings) throws IOException {
    Path dataDir = settings.dataDir().toAbsolutePath();
    Files.createDirectories(dataDir);
    // Work dirs of containers of an earlier run that died without cleaning up.
    deleteTree(dataDir.resolve("containers"));
    Path authFile = dataDir.resolve(AUTH_FILE);
    AuthKey key = AuthKey.loadOrCreate(authFile);
    Controller controller = Controller.bind(settings);
    Invoker invoker = new Invoker(settings, controller.apiHost().toString());
    EmbeddedWhisk whisk = new EmbeddedWhisk(settings, key, authFile, controller, invoker);
    Runtime.getRuntime().addShutdownHook(whisk.shutdownHook);
    invoker.start();
    controller.start(key, invoker);
    LOG.info("embedded OpenWhisk started at {} (namespace {}, pool {} MB, data dir {})",
        controller.apiHost(), settings.namespace(), settings.poolMemoryMb(), dataDir);
    return whisk;
  }

  /** @return {@code http://127.0.0.1:<port>} */
  public URI apiHost() {
    return controller.apiHost();
  }

  /** @return the API key, {@code uuid:key} */
  public String authKey() {
    return key.asString();
  }

  /** @return the file holding the API key */
  public Path authFile() {
    return authFile;
  }

  /** @return the namespace the platform serves */
  public String namespace() {
    return settings.namespace();
  }

  /** @return client settings for this platform (apihost, key, namespace, defaults otherwise) */
  public WhiskSettings clientSettings() {
    return WhiskSettings.of(apiHost(), authKey()).withNamespace(settings.namespace());
  }

  /** @return the container pool's current state */
  public PoolSnapshot poolSnapshot() {
    return invoker.snapshot();
  }

  /** Stops the platform: activations in flight end with errors, all containers are killed. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs (or ran) stop(), which is idempotent.
    }
  }

  private void stop() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    invoker.close();
    controller.close();
    deleteTree(settings.dataDir().toAbsolutePath().resolve("containers"));
    LOG.info("embedded OpenWhisk at {} stopped", controller.apiHost());
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not remove {}: {}", dir, e.toString());
    }
  }
}
