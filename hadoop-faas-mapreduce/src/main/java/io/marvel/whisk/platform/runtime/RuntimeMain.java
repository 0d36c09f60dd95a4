package io.marvel.whisk.platform.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Entry point of a container JVM. Binds the action runtime on 127.0.0.1 and a free port, prints
 * {@value #PORT_PREFIX}{@code <port>} on stdout so the invoker can connect, and exits when its
 * stdin closes, which happens when the invoker's JVM dies, so that no container outlives its
 * platform.
 */
public final class RuntimeMain {
  /** Prefix of the line that announces the runtime's port on stdout. */
  public static final String PORT_PREFIX = "MARVEL_RUNTIME_PORT=";

  private RuntimeMain() {
  }

  /**
   * Starts the runtime.
   *
   * @param args unused
   * @throws IOException if the server cannot be bound
   */
  public static void main(String[] args) throws IOException {
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"));
    ActionRuntime runtime = ActionRuntime.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), workDir, System.out,
        System.err);
    System.out.println(PORT_PREFIX + runtime.port());
    System.out.flush();
    watchParent(System.in);
  }

  private static void watchParent(InputStream in) {
    try {
      while (in.read() >= 0) {
        // The invoker never writes; any input is ignored.
      }
    } catch (IOException e) {
      // A broken stdin means the same as end of input: the invoker is gone.
    }
    // halt, not exit: an action may be running and must not delay the exit with hooks.
    Runtime.getRuntime().halt(0);
  }
}
