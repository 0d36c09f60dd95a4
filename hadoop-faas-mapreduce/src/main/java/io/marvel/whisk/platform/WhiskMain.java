package io.marvel.whisk.platform;

import io.marvel.whisk.platform.settings.PlatformSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded platform in the foreground:
 * {@code WhiskMain --data-dir DIR [--port N] [--pool-memory MB] [--prewarm N]}; the port
 * defaults to 3233, standalone OpenWhisk's. Prints
 * {@code apihost=...} and {@code auth-file=...}, then serves until SIGTERM or Ctrl-C, when it
 * stops with its containers. The action limits are a stock OpenWhisk's unless the environment
 * changes them with the names an OpenWhisk operator uses, e.g. {@code CONFIG_whisk_memory_max=2g}
 * ({@link io.marvel.whisk.platform.settings.OperatorConfig}).
 */
public final class WhiskMain {
  /** Standalone OpenWhisk's port. */
  static final int DEFAULT_PORT = 3233;

  private WhiskMain() {
  }

  /**
   * @param args the command line
   * @throws IOException if the platform cannot start
   * @throws InterruptedException if interrupted while serving
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    PlatformSettings settings;
    try {
      settings = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("marvel-whisk: " + e.getMessage());
      System.err.println("usage: marvel-whisk --data-dir DIR [--port N] [--pool-memory MB]"
          + " [--prewarm N]; action limits from CONFIG_whisk_memory_max and the other"
          + " CONFIG_whisk_* names of an OpenWhisk deployment (docs/openwhisk.md)");
      System.exit(2);
      return;
    }
    EmbeddedWhisk whisk = EmbeddedWhisk.start(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      whisk.close();
      stopped.countDown();
    }, "marvel-whisk-stop"));
    System.out.println("apihost=" + whisk.apiHost());
    System.out.println("auth-file=" + whisk.authFile());
    System.out.flush();
    stopped.await();
  }

  static PlatformSettings parse(String[] args) {
    Integer port = null;
    Path dataDir = null;
    Long poolMemory = null;
    Integer prewarm = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--port" -> port = number(flag, value).intValue();
        case "--data-dir" -> dataDir = Path.of(value);
        case "--pool-memory" -> poolMemory = number(flag, value);
        case "--prewarm" -> prewarm = number(flag, value).intValue();
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    if (dataDir == null) {
      throw new IllegalArgumentException("--data-dir is required");
    }
    // Containers run what this JVM runs (the distribution's jars), with the same module options.
    PlatformSettings.Builder b = PlatformSettings.builder(dataDir)
        .port(port == null ? DEFAULT_PORT : port)
        .operatorConfig(System.getenv())
        .inheritModuleOptions();
    if (poolMemory != null) {
      b.poolMemoryMb(poolMemory);
    }
    if (prewarm != null) {
      b.prewarmCount(prewarm);
    }
    return b.build();
  }

  private static Long number(String flag, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " expects a number, got '" + value + "'");
    }
  }
}
