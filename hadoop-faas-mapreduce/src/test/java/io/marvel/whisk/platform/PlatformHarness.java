package io.marvel.whisk.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import io.marvel.whisk.client.ActionSpec;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.WhiskClient;
import io.marvel.whisk.platform.invoker.HostPlacement;
import io.marvel.whisk.platform.runtime.RuntimeMain;
import io.marvel.whisk.platform.settings.PlatformSettings;
import io.marvel.whisk.testing.ActionJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the tests that run the embedded platform with real container JVMs: one platform per
 * test class, started before its tests with {@link #configure} and stopped after them, then a
 * check that no container process outlived it. Data lives under /dev/shm and is removed.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PlatformHarness {
  protected Path dataDir;
  protected EmbeddedWhisk whisk;
  protected WhiskClient client;
  protected byte[] probeJar;

  /** Adjusts the platform's settings; the default keeps them. */
  protected PlatformSettings.Builder configure(PlatformSettings.Builder builder) {
    return builder;
  }

  /** @return where the invoker places containers; the default, null, is this machine as is */
  protected HostPlacement placement() {
    return null;
  }

  @BeforeAll
  void startPlatform() throws IOException {
    dataDir = Files.createTempDirectory(Path.of("/dev/shm"), "marvel-whisk-test");
    probeJar = ActionJars.probe(dataDir.resolve("jars"));
    PlatformSettings settings = configure(PlatformSettings.builder(dataDir.resolve("data")))
        .build();
    HostPlacement placement = placement();
    whisk = placement == null ? EmbeddedWhisk.start(settings)
        : EmbeddedWhisk.start(settings, placement);
    client = WhiskClient.create(whisk.clientSettings());
  }

  @AfterAll
  void stopPlatform() throws IOException {
    try {
      if (whisk != null) {
        whisk.close();
      }
      assertEquals(List.of(), containerProcesses(dataDir), "container processes left behind");
    } finally {
      deleteTree(dataDir);
    }
  }

  /**
   * @param dataDir a platform's data directory
   * @return the live container JVMs of the platforms using it (their work dirs, named on their
   *     command lines, lie below it); other platforms of this JVM are not counted
   */
  static List<ProcessHandle> containerProcesses(Path dataDir) {
    return ProcessHandle.current().descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> {
          String cmd = p.info().commandLine().orElse("");
          return cmd.contains(RuntimeMain.class.getName()) && cmd.contains(dataDir.toString());
        })
        .toList();
  }

  protected ActionSpec probe(String name) {
    return ActionSpec.java(name, ActionJars.PROBE_MAIN, probeJar);
  }

  protected Activation invoke(String action, JsonObject params) throws IOException {
    return client.invokeBlocking(action, params, Duration.ofSeconds(60));
  }

  protected static JsonObject params(String key, Object value) {
    JsonObject p = new JsonObject();
    if (value instanceof Number n) {
      p.addProperty(key, n);
    } else {
      p.addProperty(key, String.valueOf(value));
    }
    return p;
  }

  protected static long pid(Activation a) {
    return a.result().getAsJsonObject().get("pid").getAsLong();
  }

  /** Polls until the condition holds or the deadline passes. */
  protected static boolean eventually(Duration deadline, BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
