package io.marvel.faas.client;

import io.marvel.whisk.platform.EmbeddedWhisk;
import io.marvel.whisk.platform.PlatformSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded OpenWhisk-compatible platform behind {@code mapreduce.faas.openwhisk.apihost=local}:
 * started on first use and shared by every job of this JVM; it stops with the JVM. Its container
 * JVMs get this JVM's class path (the distribution's jars) and its {@code --add-opens} options,
 * which Hadoop needs on Java 17. This is the only place the faas client touches the platform.
 */
final class EmbeddedPlatform {
  private static EmbeddedWhisk platform;

  private EmbeddedPlatform() {
  }

  /**
   * @param settings the faas settings (pool size follows memory and concurrency)
   * @return the running platform
   * @throws IOException if it cannot start
   */
  static synchronized EmbeddedWhisk shared(FaasSettings settings) throws IOException {
    if (platform == null) {
      long pool = Math.max(2048, (long) settings.memoryMb() * (settings.maxConcurrency() + 1));
      Path dataDir = Path.of(System.getProperty("java.io.tmpdir"),
          "marvel-whisk-" + System.getProperty("user.name"));
      platform = EmbeddedWhisk.start(PlatformSettings.builder(dataDir).poolMemoryMb(pool)
          .idleContainerTimeout(Duration.ofMillis(settings.embeddedIdleContainerMs()))
          .reuseContainers(settings.embeddedReuseContainers())
          .inheritModuleOptions().build());
    }
    return platform;
  }
}
