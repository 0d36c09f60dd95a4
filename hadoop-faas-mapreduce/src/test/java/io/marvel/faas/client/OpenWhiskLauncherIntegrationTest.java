package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.testing.TestFiles;
import io.marvel.whisk.client.WhiskClient;
import io.marvel.whisk.platform.EmbeddedWhisk;
import io.marvel.whisk.platform.settings.PlatformSettings;
import io.marvel.whisk.platform.settings.SystemLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The launcher against a platform daemon whose container pool is smaller than the action. */
@Tag("integration")
class OpenWhiskLauncherIntegrationTest {
  @Test
  void anActionLargerThanThePoolFailsTheJobAtOnceNamingBothSettings() throws IOException {
    Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "marvel-whisk-pool");
    // An operator raised the action memory limit above the pool (CONFIG_whisk_memory_max).
    try (EmbeddedWhisk whisk = EmbeddedWhisk.start(PlatformSettings.builder(dir)
        .limits(SystemLimits.STOCK.withMaxMemoryMb(8192)).poolMemoryMb(1024).build())) {
      Configuration conf = new Configuration(false);
      conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, whisk.apiHost().toString());
      conf.set(FaasConfigKeys.OPENWHISK_AUTH_KEY, whisk.authKey());
      conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, 2048);
      OpenWhiskLauncher launcher = OpenWhiskLauncher.create(FaasSettings.from(conf),
          new EmbeddedPlatform());
      IOException e = assertThrows(IOException.class, launcher::prepare);
      assertEquals("the task action needs mapreduce.faas.action.memory-mb = 2048 MB, but"
          + " OpenWhisk at " + whisk.apiHost() + " runs no action over 1024 MB, so no attempt"
          + " could ever run. Lower mapreduce.faas.action.memory-mb to at most 1024, or raise"
          + " the platform's limit: for Marvel's platform daemon its container pool,"
          + " MARVEL_WHISK_POOL_MB in etc/hadoop/marvel-env.sh (at most 8192 MB per action;"
          + " restart it with sbin/stop-marvel.sh and sbin/start-marvel.sh), for a stock"
          + " OpenWhisk its limits.actions.memory.max", e.getMessage());
      WhiskClient client = WhiskClient.create(whisk.clientSettings());
      assertTrue(client.listActions().isEmpty(), "nothing was deployed");

      conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, 1024);
      OpenWhiskLauncher fits = OpenWhiskLauncher.create(FaasSettings.from(conf),
          new EmbeddedPlatform());
      fits.prepare();
      assertEquals(1, client.listActions().size());
      fits.close();
    } finally {
      TestFiles.deleteTree(dir);
    }
  }
}
