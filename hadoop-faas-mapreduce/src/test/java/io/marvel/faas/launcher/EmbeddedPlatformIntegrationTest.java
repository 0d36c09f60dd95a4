package io.marvel.faas.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.whisk.platform.EmbeddedWhisk;
import java.io.IOException;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One embedded platform per JVM: a job with other platform settings gets them (the platform
 * restarts) while no other job uses it, and is refused, naming the settings, while one does.
 */
@Tag("integration")
class EmbeddedPlatformIntegrationTest {
  private final EmbeddedPlatform platform = new EmbeddedPlatform();

  @AfterEach
  void stopPlatform() {
    platform.close();
  }

  private static FaasSettings settings(long idleMs, boolean reuse, int concurrency) {
    Configuration conf = new Configuration(false);
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, 512);
    conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, concurrency);
    conf.setLong(FaasConfigKeys.EMBEDDED_IDLE_CONTAINER_MS_KEY, idleMs);
    conf.setBoolean(FaasConfigKeys.EMBEDDED_REUSE_CONTAINERS_KEY, reuse);
    return FaasSettings.from(conf);
  }

  @Test
  void laterJobGetsItsSettingsOrIsRefusedWhileAnotherUsesThePlatform() throws IOException {
    FaasSettings first = settings(600_000, true, 2);
    FaasSettings other = settings(1_000, false, 2);
    EmbeddedWhisk running = platform.acquire(first);
    try {
      assertSame(running, platform.acquire(settings(600_000, true, 1)),
          "a job the running platform serves shares it");
      platform.release();
      IOException e = assertThrows(IOException.class, () -> platform.acquire(other));
      assertEquals(PlatformShape.of(first).refusal(PlatformShape.of(other)), e.getMessage());
      assertTrue(e.getMessage().contains("mapreduce.faas.embedded.idle-container-ms is 600000"
          + " for the running platform and 1000 for this job"), e.getMessage());
    } finally {
      platform.release();
    }
    EmbeddedWhisk restarted = platform.acquire(other);
    try {
      assertEquals(Duration.ofMillis(1_000), restarted.settings().idleContainerTimeout());
      assertEquals(false, restarted.settings().reuseContainers());
      assertNotSame(running, restarted, "the platform was restarted");
      EmbeddedWhisk larger = platform.acquire(settings(1_000, false, 2));
      assertSame(restarted, larger);
      platform.release();
    } finally {
      platform.release();
    }
    EmbeddedWhisk grown = platform.acquire(settings(1_000, false, 8));
    try {
      assertEquals(512 * 9, grown.settings().poolMemoryMb(),
          "a job needing a larger pool gets one once the platform is free");
    } finally {
      platform.release();
    }
  }
}
