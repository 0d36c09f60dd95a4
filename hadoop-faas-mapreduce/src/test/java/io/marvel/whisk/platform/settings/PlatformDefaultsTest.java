package io.marvel.whisk.platform.settings;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformDefaultsTest {
  @Test
  void containersRunTheCollectorThatGivesAnIdleTasksHeapBack(@TempDir Path dir) {
    List<String> options = PlatformSettings.builder(dir).build().containerJvmOptions();
    // The task action's IdleHeapTrim relies on both (IdleHeapTrimProcessTest).
    assertTrue(options.containsAll(List.of("-XX:+UseSerialGC", "-XX:-ShrinkHeapInSteps")),
        options.toString());
  }

  @Test
  void containersKeepTheirYoungGenerationAndCHeapSmall(@TempDir Path dir) {
    List<String> options = PlatformSettings.builder(dir).build().containerJvmOptions();
    // Issue 17 item 2; ContainerMemoryProcessTest shows what each does. This JDK (17.0.15)
    // has the trim option.
    assertTrue(options.containsAll(List.of("-XX:MaxNewSize=8m",
        "-XX:TrimNativeHeapInterval=1000")), options.toString());
  }
}
