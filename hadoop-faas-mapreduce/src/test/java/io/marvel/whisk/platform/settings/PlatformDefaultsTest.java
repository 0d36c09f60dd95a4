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
}
