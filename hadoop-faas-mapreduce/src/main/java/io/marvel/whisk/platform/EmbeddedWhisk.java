package io.marvel.whisk.platform;

import io.marvel.whisk.client.WhiskSettings;
import io.marvel.whisk.platform.container.ClassDataArchive;
import io.marvel.whisk.platform.container.JvmContainer;
import io.marvel.whisk.platform.controller.AuthKey;
import io.marvel.whisk.platform.controller.Controller;
import io.marvel.whisk.platform.invoker.HostPlacement;
import io.marvel.whisk.platform.invoker.Invoker;
import io.marvel.whisk.platform.invoker.PoolSnapshot;
import io.marvel.whisk.platform.settings.PlatformSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
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
  /** The heap's share of a container's memory, in percent, here and in the task image. */
  public static final int CONTAINER_HEAP_PERCENT = JvmContainer.HEAP_PERCENT_OF_MEMORY;

  private final PlatformSettings settings;
  private final AuthKey key;
  private final Path authFile;
  private final Controller controller;
  private final Invoker invoker;
  private final Path containersDir;
  private final Thread shutdownHook;
  private final boolean stopAtJvmExit;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedWhisk(PlatformSettings settings, AuthKey key, Path authFile,
      Controller controller, Invoker invoker, Path containersDir, boolean stopAtJvmExit) {
    this.containersDir = containersDir;
    this.stopAtJvmExit = stopAtJvmExit;
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
    return start(settings, true);
  }

  /**
   * Starts the platform, optionally without the JVM shutdown hook that stops it: for an owner
   * that must stop it in order with other work at JVM exit (JVM shutdown hooks run
   * concurrently), and then closes it itself.
   *
   * @param settings the settings
   * @param stopAtJvmExit true to stop the platform in a JVM shutdown hook of its own
   * @return the running platform
   * @throws IOException if the data directory or key file cannot be used, or the port is taken
   */
  public static EmbeddedWhisk start(PlatformSettings settings, boolean stopAtJvmExit)
      throws IOException {
    return start(settings, stopAtJvmExit, null);
  }

  /**
   * Starts a platform whose invoker starts each container on one of several hosts simulated on
   * this machine, as {@code placement} chooses: for tests of code that runs on many hosts (a
   * real cluster runs a real OpenWhisk). The controller stays on 127.0.0.1 of this machine.
   * Stopped by a JVM shutdown hook of its own, like {@link #start(PlatformSettings)}.
   *
   * @param settings the settings
   * @param placement which host each new container goes to
   * @return the running platform
   * @throws IOException as {@link #start(PlatformSettings)}
   */
  public static EmbeddedWhisk start(PlatformSettings settings, HostPlacement placement)
      throws IOException {
    return start(settings, true, Objects.requireNonNull(placement, "placement"));
  }

  private static EmbeddedWhisk start(PlatformSettings settings, boolean stopAtJvmExit,
      HostPlacement placement) throws IOException {
    Path dataDir = settings.dataDir().toAbsolutePath();
    Files.createDirectories(dataDir);
    Path containers = dataDir.resolve("containers");
    removeAbandonedWorkDirs(containers);
    // Several platforms may share a data dir (and its key): each has its own containers dir.
    long pid = ProcessHandle.current().pid();
    Path ownContainers = Files.createTempDirectory(Files.createDirectories(containers),
        pid + "-");
    Path authFile = dataDir.resolve(AUTH_FILE);
    AuthKey key = AuthKey.loadOrCreate(authFile);
    Controller controller = Controller.bind(settings);
    // The archive is kept in the data dir, so that the next platform of this data dir finds it.
    ClassDataArchive classData = new ClassDataArchive(settings.classList(),
        dataDir.resolve("class-data"), settings.javaExecutable(),
        settings.containerClasspath(), settings.containerJvmOptions());
    Invoker invoker = new Invoker(settings, controller.apiHost().toString(), ownContainers,
        placement, classData);
    EmbeddedWhisk whisk = new EmbeddedWhisk(settings, key, authFile, controller, invoker,
        ownContainers, stopAtJvmExit);
    if (stopAtJvmExit) {
      Runtime.getRuntime().addShutdownHook(whisk.shutdownHook);
    }
    invoker.start();
    controller.start(key, invoker);
    LOG.info("embedded OpenWhisk started at {} (namespace {}, pool {} MB, data dir {})",
        controller.apiHost(), settings.namespace(), settings.poolMemoryMb(), dataDir);
    if (placement != null) {
      LOG.info("its containers are placed on the hosts {}", placement.hosts().stream()
          .map(host -> host.name() + " (" + host.address() + ")").toList());
    }
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

  /** @return the settings the platform runs with */
  public PlatformSettings settings() {
    return settings;
  }

  /** @return the container pool's current state */
  public PoolSnapshot poolSnapshot() {
    return invoker.snapshot();
  }

  /** Stops the platform: activations in flight end with errors, all containers are killed. */
  @Override
  public void close() {
    stop();
    if (!stopAtJvmExit) {
      return;
    }
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
    deleteTree(containersDir);
    LOG.info("embedded OpenWhisk at {} stopped", controller.apiHost());
  }

  /** Removes container work dirs left by platforms whose JVM died without cleaning up. */
  private static void removeAbandonedWorkDirs(Path containers) throws IOException {
    if (!Files.isDirectory(containers)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(containers)) {
      for (Path dir : dirs.toList()) {
        String name = dir.getFileName().toString();
        int dash = name.indexOf('-');
        boolean owned = false;
        if (dash > 0) {
          try {
            owned = ProcessHandle.of(Long.parseLong(name.substring(0, dash)))
                .map(ProcessHandle::isAlive).orElse(false);
          } catch (NumberFormatException e) {
            // Not one of ours; removed below like any abandoned entry.
          }
        }
        if (!owned) {
          deleteTree(dir);
        }
      }
    }
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
