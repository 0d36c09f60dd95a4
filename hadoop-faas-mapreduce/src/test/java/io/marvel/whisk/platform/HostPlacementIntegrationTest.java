package io.marvel.whisk.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.platform.container.Placement;
import io.marvel.whisk.platform.invoker.HostPlacement;
import io.marvel.whisk.platform.settings.PlatformSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An invoker that places containers on hosts: each container runs through its host's command
 * prefix with its host's environment and {@code MARVEL_HOST}, its runtime listens on its
 * host's address (here loopback addresses other than 127.0.0.1, which Linux routes to lo) and
 * the invoker reaches it there, and each activation names its host. Containers are not reused,
 * so every activation gets a new container and the next host in turn.
 */
class HostPlacementIntegrationTest extends PlatformHarness {
  @Override
  protected PlatformSettings.Builder configure(PlatformSettings.Builder builder) {
    return builder.reuseContainers(false);
  }

  @Override
  protected HostPlacement placement() {
    return HostPlacement.roundRobin(List.of(host(1), host(2)));
  }

  /** Host i: a prefix that sets a variable (env execs the JVM), address 127.0.0.(i+1). */
  private static Placement host(int index) {
    return new Placement("host" + index, List.of("env", "VIA_PREFIX=prefix" + index),
        "127.0.0." + (index + 1), Map.of("HOST_ENV", "env" + index));
  }

  @Test
  void eachContainerRunsOnItsHostInTurnAndItsActivationSaysWhich() throws Exception {
    client.deploy(probe("placed"));
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Activation a = invoke("placed", params("env", "MARVEL_HOST,VIA_PREFIX,HOST_ENV"));
      assertTrue(a.success(), a.toString());
      String host = a.host().orElseThrow(() -> new AssertionError("no host in " + a));
      int index = host.equals("host1") ? 1 : 2;
      JsonObject env = a.result().getAsJsonObject().getAsJsonObject("env");
      assertEquals(host, env.get("MARVEL_HOST").getAsString(), "MARVEL_HOST of " + a);
      assertEquals("prefix" + index, env.get("VIA_PREFIX").getAsString(), "the prefix ran");
      assertEquals("env" + index, env.get("HOST_ENV").getAsString(), "the host's environment");
      hosts.add(host);
    }
    assertEquals(List.of("host1", "host2", "host1", "host2"), hosts);
  }
}
