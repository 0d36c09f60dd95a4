package io.marvel.faas.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.settings.FaasSettings;
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
      assertEquals("OpenWhisk at " + whisk.apiHost() + " (namespace _) cannot run this job's"
          + " task action: mapreduce.faas.action.memory-mb = 2048 is over the platform's limit"
          + " of 1024 MB (maxActionMemory): set it to at most 1024, or have the OpenWhisk"
          + " operator raise the limit (CONFIG_whisk_memory_max on its controller and invokers,"
          + " and the namespace's own maxActionMemory if it has one; for Marvel's platform,"
          + " CONFIG_whisk_memory_max in the environment of the daemon, etc/hadoop/marvel-env.sh,"
          + " or of the client for apihost local, and the daemon's container pool,"
          + " MARVEL_WHISK_POOL_MB). Nothing was deployed", e.getMessage());
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
