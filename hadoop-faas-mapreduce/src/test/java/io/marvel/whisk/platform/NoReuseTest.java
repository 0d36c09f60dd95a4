package io.marvel.whisk.platform;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.platform.settings.PlatformSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** With container reuse off, every activation gets a container of its own, destroyed after. */
class NoReuseTest extends PlatformHarness {

  @Override
  protected PlatformSettings.Builder configure(PlatformSettings.Builder builder) {
    return builder.reuseContainers(false);
  }

  @Test
  void everyActivationStartsAndEndsItsOwnContainer() throws Exception {
    client.deploy(probe("once"));
    Activation first = invoke("once", new JsonObject());
    Activation second = invoke("once", new JsonObject());
    assertTrue(first.success() && second.success(), first + " / " + second);
    assertTrue(first.annotations().containsKey("initTime"), "first is cold: " + first);
    assertTrue(second.annotations().containsKey("initTime"), "second is cold too: " + second);
    assertNotEquals(pid(first), pid(second), "a container was reused");
    long secondPid = pid(second);
    assertTrue(eventually(Duration.ofSeconds(10),
        () -> ProcessHandle.of(secondPid).map(p -> !p.isAlive()).orElse(true)),
        "the container of the last activation was not destroyed");
    assertTrue(eventually(Duration.ofSeconds(10), () -> whisk.poolSnapshot().containers() == 0),
        "containers left in the pool: " + whisk.poolSnapshot());
  }
}
