package io.marvel.whisk.platform.runtime;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Entry point of a container JVM.
 *
 * <p>Without arguments (how the embedded invoker starts it) it binds the action runtime on
 * 127.0.0.1 and a free port, prints {@value #PORT_PREFIX}{@code <port>} on stderr so the invoker
 * can connect, and exits when its stdin closes, which happens when the invoker's JVM dies, so
 * that no container outlives its platform. With {@code --bind ADDRESS} it does the same on that
 * address instead of 127.0.0.1: a container the invoker placed on another (simulated) host.
 *
 * <p>With {@code --listen ADDRESS:PORT} it is the server of a standalone container image, as a
 * real OpenWhisk invoker runs a blackbox action: it binds that address (OpenWhisk connects to
 * port 8080 of the container), prints nothing, and serves until the process is stopped.
 *
 * <p>In both modes, as OpenWhisk's invoker expects of a runtime: nothing of the runtime's own
 * appears on stdout or stderr before the first activation (an invoker reads everything the
 * container prints into the activations' logs); stdout and stderr are UTF-8 whatever the
 * locale; {@code __OW_API_HOST} of the environment is also a system property, like the other
 * {@code __OW_*} values; {@code System.exit} in action code fails only its activation
 * ({@link ExitGuard}); the action's jar is deleted when the runtime ends.
 */
public final class RuntimeMain {
  /** Prefix of the line that announces the runtime's port on stderr. */
  public static final String PORT_PREFIX = "MARVEL_RUNTIME_PORT=";

  private RuntimeMain() {
  }

  /**
   * What the arguments ask for.
   *
   * @param address where the runtime listens
   * @param child true for the embedded invoker's child mode (announce the port, end with stdin)
   */
  record Launch(InetSocketAddress address, boolean child) {
  }

  /**
   * Starts the runtime.
   *
   * @param args nothing, {@code --bind ADDRESS} or {@code --listen ADDRESS:PORT}
   * @throws IOException if the server cannot be bound
   */
  public static void main(String[] args) throws IOException {
    Launch launch;
    try {
      launch = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("marvel action runtime: " + e.getMessage()
          + "; usage: RuntimeMain [--bind ADDRESS | --listen ADDRESS:PORT], e.g. --listen"
          + " 0.0.0.0:8080");
      System.exit(2);
      return;
    }
    System.setOut(utf8(FileDescriptor.out));
    System.setErr(utf8(FileDescriptor.err));
    String apiHost = System.getenv("__OW_API_HOST");
    if (apiHost != null) {
      System.setProperty("__OW_API_HOST", apiHost);
    }
    ExitGuard guard = ExitGuard.install();
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"));
    ActionRuntime runtime = ActionRuntime.start(launch.address(), workDir, System.out,
        System.err, guard);
    if (!launch.child()) {
      // docker stop: SIGTERM runs the hooks, so the action's jar does not outlive the runtime.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> close(runtime), "runtime-stop"));
      return;
    }
    // The invoker's channel, not output for the logs: the invoker takes everything up to this
    // line as start-up output. On stderr, behind the JVM's own warning about ExitGuard, which
    // Java 17 prints there and which no option silences.
    System.err.println(PORT_PREFIX + runtime.port());
    System.err.flush();
    watchParent(System.in);
    if (guard != null) {
      guard.allowRuntimeExit();
    }
    // The action's files only: the invoker that would read a reply is gone.
    try {
      runtime.discardAction();
    } catch (IOException | UncheckedIOException e) {
      // Ending anyway; the container's file system goes with it.
    }
    // halt, not exit: an action may be running and must not delay the exit with hooks.
    Runtime.getRuntime().halt(0);
  }

  private static PrintStream utf8(FileDescriptor fd) {
    return new PrintStream(new BufferedOutputStream(new FileOutputStream(fd), 8192), true,
        StandardCharsets.UTF_8);
  }

  private static void close(ActionRuntime runtime) {
    try {
      runtime.close();
    } catch (IOException | UncheckedIOException e) {
      // Ending anyway; the container's file system goes with it.
    }
  }

  /** @return where to listen, and whether in the embedded invoker's child mode */
  static Launch parse(String[] args) {
    if (args.length == 0) {
      return new Launch(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), true);
    }
    if (args.length == 2 && "--bind".equals(args[0])) {
      return new Launch(new InetSocketAddress(args[1], 0), true);
    }
    if (args.length != 2 || !"--listen".equals(args[0])) {
      throw new IllegalArgumentException("unexpected arguments " + String.join(" ", args));
    }
    String value = args[1];
    int colon = value.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--listen needs ADDRESS:PORT, got '" + value + "'");
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--listen has a bad port in '" + value + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--listen port " + port + " is not in 0..65535");
    }
    return new Launch(new InetSocketAddress(value.substring(0, colon), port), false);
  }

  private static void watchParent(InputStream in) {
    try {
      while (in.read() >= 0) {
        // The invoker never writes; any input is ignored.
      }
    } catch (IOException e) {
      // A broken stdin means the same as end of input: the invoker is gone.
    }
  }
}
