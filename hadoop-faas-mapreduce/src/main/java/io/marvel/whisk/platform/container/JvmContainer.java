package io.marvel.whisk.platform.container;

import io.marvel.whisk.platform.runtime.RuntimeMain;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One container: a separate JVM process running {@link RuntimeMain}, reached over HTTP on
 * 127.0.0.1, or, for a container with a {@link Placement}, started through the host's command
 * prefix and reached on the host's address. Its heap is {@value #HEAP_PERCENT_OF_MEMORY}% of
 * the container's memory limit. Thread-safe; the invoker sends one request at a time.
 * {@link #close()} kills the process and removes its work directory.
 */
public final class JvmContainer implements Container {
  private static final Logger LOG = LoggerFactory.getLogger(JvmContainer.class);
  /**
   * The heap's share of the container's memory, in percent; the docker image's start command
   * gives the JVM the same share ({@code -XX:MaxRAMPercentage=70}, dist/docker/Dockerfile).
   */
  public static final int HEAP_PERCENT_OF_MEMORY = 70;
  /** How long a dropped call waits for the process to end, to tell how it ended. */
  private static final long EXIT_WAIT_MS = 1_000;

  private final ContainerSpec spec;
  private final Process process;
  private final ContainerLogs logs;
  private final AtomicBoolean closed = new AtomicBoolean();
  private RuntimeConnection connection;

  private JvmContainer(ContainerSpec spec, Process process, ContainerLogs logs) {
    this.spec = spec;
    this.process = process;
    this.logs = logs;
  }

  /**
   * Starts the JVM and waits until its runtime announces its port.
   *
   * @param spec how to start it
   * @return the started container
   * @throws IOException if the process cannot start or does not announce its port in time; the
   *     process is killed before this is thrown
   * @throws InterruptedException if interrupted while waiting
   */
  public static JvmContainer start(ContainerSpec spec)
      throws IOException, InterruptedException {
    Files.createDirectories(spec.workDir().resolve("tmp"));
    ProcessBuilder builder = new ProcessBuilder(command(spec));
    builder.environment().putAll(spec.env());
    Placement placement = spec.placement();
    if (placement != null) {
      builder.environment().putAll(placement.env());
      builder.environment().put(Placement.HOST_ENV, placement.name());
    }
    utf8Locale(builder.environment());
    builder.directory(spec.workDir().toFile());
    ContainerLogs logs = new ContainerLogs();
    JvmContainer container = new JvmContainer(spec, builder.start(), logs);
    container.pumpThread("stdout").start();
    container.pumpThread("stderr").start();
    try {
      int port = logs.port().get(spec.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
      container.connection = placement == null ? new RuntimeConnection(port)
          : new RuntimeConnection(InetAddress.getByName(placement.address()), port);
      LOG.debug("container {} (pid {}) listens on port {}", spec.id(), container.pid(), port);
      // The JVM's own warnings, e.g. that it runs without the class data archive it was given.
      logs.startupOutput().lines().filter(l -> l.contains("][warning]")).forEach(l ->
          LOG.warn("container {} (pid {}): {}", spec.id(), container.pid(), l));
      return container;
    } catch (ExecutionException e) {
      container.close();
      throw new IOException("Container " + spec.id() + " failed to start: "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      container.close();
      throw new IOException("Container " + spec.id() + " did not start within "
          + spec.startTimeout().toMillis() + " ms; its output: " + logs.startupOutput(), e);
    } catch (InterruptedException e) {
      container.close();
      throw e;
    }
  }

  static List<String> command(ContainerSpec spec) throws IOException {
    // The class path can be longer than one exec argument may be, so it goes in an @argfile.
    Path argFile = spec.workDir().resolve("classpath.args");
    String escaped = spec.classpath().replace("\\", "\\\\").replace("\"", "\\\"");
    Files.writeString(argFile, "-cp \"" + escaped + "\"\n", StandardCharsets.UTF_8);
    List<String> cmd = new ArrayList<>();
    if (spec.placement() != null) {
      cmd.addAll(spec.placement().commandPrefix());
    }
    cmd.add(spec.javaExecutable().toString());
    // The heap is a share of the container's memory, as a JVM in a docker container with that
    // memory limit sizes it (the image sets the same share): the rest is the JVM's own memory,
    // which a real container also charges to the limit.
    cmd.add("-XX:MaxRAM=" + spec.memoryMb() + "m");
    cmd.add("-XX:MaxRAMPercentage=" + HEAP_PERCENT_OF_MEMORY);
    cmd.add("-Dfile.encoding=UTF-8");
    cmd.add("-Dsun.jnu.encoding=UTF-8");
    // The runtime's ExitGuard is a security manager, which Java 18+ allow only when asked.
    cmd.add("-Djava.security.manager=allow");
    cmd.add("-Djava.io.tmpdir=" + spec.workDir().resolve("tmp"));
    cmd.addAll(spec.jvmOptions());
    cmd.add("@" + argFile);
    cmd.add(RuntimeMain.class.getName());
    if (spec.placement() != null) {
      cmd.add("--bind");
      cmd.add(spec.placement().address());
    }
    return cmd;
  }

  /**
   * Makes the container's locale a UTF-8 one unless it already is: the JVM takes the encoding
   * of file names ({@code sun.jnu.encoding}) from the locale alone, so under {@code LANG=C} a
   * task could not name a file with non-ASCII characters.
   */
  static void utf8Locale(Map<String, String> env) {
    String locale = env.getOrDefault("LC_ALL", env.getOrDefault("LC_CTYPE",
        env.getOrDefault("LANG", "")));
    String lower = locale.toLowerCase(Locale.ROOT);
    if (!lower.endsWith(".utf-8") && !lower.endsWith(".utf8")) {
      env.put("LC_ALL", "C.UTF-8");
    }
  }

  private Thread pumpThread(String stream) {
    Thread t = new Thread(() -> logs.pump(stream.equals("stdout") ? process.getInputStream()
        : process.getErrorStream(), stream), "container-" + spec.id() + "-" + stream);
    t.setDaemon(true);
    return t;
  }

  /** @return what the JVM printed before its runtime announced its port */
  String startupOutput() {
    return logs.startupOutput();
  }

  @Override
  public String id() {
    return spec.id();
  }

  @Override
  public int memoryMb() {
    return spec.memoryMb();
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public Optional<String> host() {
    return Optional.ofNullable(spec.placement()).map(Placement::name);
  }

  @Override
  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public synchronized RuntimeReply post(String route, String json, Duration timeout)
      throws ContainerFailure, InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before " + route + " to container " + id());
    }
    try {
      return connection.post(route, json, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    } catch (SocketTimeoutException e) {
      throw new ContainerFailure("container " + id() + " gave no reply to " + route + " within "
          + timeout.toMillis() + " ms", true, e);
    } catch (IOException e) {
      throw new ContainerFailure("container " + id() + " dropped " + route + ": " + e, false, e,
          processEnd());
    }
  }

  /** @return how the process ended, or empty if it still runs after a short wait */
  private String processEnd() throws InterruptedException {
    return process.waitFor(EXIT_WAIT_MS, TimeUnit.MILLISECONDS)
        ? describeExit(process.exitValue()) : "";
  }

  /**
   * @param status a process's exit status as Java reports it (128 + n for signal n on Linux)
   * @return e.g. "was killed by signal 9 (SIGKILL)" or "exited with code 3"
   */
  static String describeExit(int status) {
    if (status > 128 && status <= 128 + 64) {
      int signal = status - 128;
      String name = switch (signal) {
        case 1 -> " (SIGHUP)";
        case 2 -> " (SIGINT)";
        case 3 -> " (SIGQUIT)";
        case 6 -> " (SIGABRT)";
        case 7 -> " (SIGBUS)";
        case 9 -> " (SIGKILL)";
        case 11 -> " (SIGSEGV)";
        case 15 -> " (SIGTERM)";
        default -> "";
      };
      return "was killed by signal " + signal + name;
    }
    return "exited with code " + status;
  }

  @Override
  public List<String> takeLogs(Duration wait, long limitBytes) throws InterruptedException {
    return logs.take(wait, limitBytes);
  }

  /** Kills the process (and anything it started), waits for it, and removes its work dir. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        LOG.warn("container {} (pid {}) did not exit within 10 s of SIGKILL", id(), pid());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // The kill ended any post() in flight, so the monitor is free.
    synchronized (this) {
      if (connection != null) {
        connection.close();
      }
    }
    deleteTree(spec.workDir());
    LOG.debug("container {} (pid {}) destroyed", id(), pid());
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not remove container work dir {}: {}", dir, e.toString());
    }
  }
}
