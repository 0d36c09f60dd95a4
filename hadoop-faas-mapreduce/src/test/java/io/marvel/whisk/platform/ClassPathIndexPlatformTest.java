package io.marvel.whisk.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.platform.runtime.ClassPathIndex;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The platform gives its containers the index of their class path ({@value ClassPathIndex#ENV}),
 * written when it starts, and the index fits the class path a container runs with, so its
 * runtime uses it.
 */
class ClassPathIndexPlatformTest extends PlatformHarness {

  @Test
  void containersGetAnIndexThatFitsTheirClassPath() throws Exception {
    client.deploy(probe("index"));
    JsonObject params = params("property", "java.class.path");
    params.addProperty("env", ClassPathIndex.ENV);
    Activation a = invoke("index", params);
    assertTrue(a.success(), a.toString());
    JsonObject result = a.result().getAsJsonObject();
    assertFalse(result.getAsJsonObject("env").get(ClassPathIndex.ENV).isJsonNull(),
        "the container has no " + ClassPathIndex.ENV);
    String file = result.getAsJsonObject("env").get(ClassPathIndex.ENV).getAsString();
    ClassPathIndex index = ClassPathIndex.load(Path.of(file),
        result.get("property").getAsString());
    assertNotNull(index, "the index " + file + " fits the container's class path");
    assertTrue(index.mayProvide("com.google.gson"));
    assertFalse(index.mayProvide("marvel.test"), "the action's package is in its jar only");
  }
}
