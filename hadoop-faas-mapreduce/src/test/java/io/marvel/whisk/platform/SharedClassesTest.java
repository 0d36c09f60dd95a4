package io.marvel.whisk.platform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.platform.settings.PlatformSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A platform given a class list starts its containers with the class data archive it makes
 * from it: a cold container's JVM loads the listed classes from the archive.
 */
class SharedClassesTest extends PlatformHarness {

  @Override
  protected PlatformSettings.Builder configure(PlatformSettings.Builder builder) {
    try {
      Path list = Files.writeString(dataDir.resolve("task-classes.lst"),
          "com/google/gson/JsonParser\ncom/google/gson/JsonObject\n");
      return builder.classList(list).containerJvmOptions(List.of("-XX:+UseSerialGC",
          "-XX:-UsePerfData", "-Xlog:class+load=info:file=" + dataDir + "/class-load-%p.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aColdContainerLoadsTheListedClassesFromTheArchive() throws Exception {
    client.deploy(probe("shared"));
    Activation a = invoke("shared", new JsonObject());
    assertTrue(a.success() && a.annotations().containsKey("initTime"), a.toString());
    Path log = dataDir.resolve("class-load-" + pid(a) + ".log");
    String loads = Files.readString(log);
    assertTrue(loads.contains("com.google.gson.JsonParser source: shared objects file (top)"),
        "the container's Gson came from the platform's archive");
    try (Stream<Path> archives = Files.walk(dataDir.resolve("data").resolve("class-data"))) {
      assertTrue(archives.anyMatch(p -> p.getFileName().toString().equals("classes.jsa")));
    }
  }
}
