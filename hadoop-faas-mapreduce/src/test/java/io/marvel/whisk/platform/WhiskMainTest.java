package io.marvel.whisk.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.whisk.platform.settings.PlatformSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WhiskMainTest {
  @Test
  void parsesTheOptions() {
    PlatformSettings s = WhiskMain.parse(new String[] {"--port", "4000", "--data-dir", "/tmp/x",
        "--pool-memory", "1024", "--prewarm", "2"});
    assertEquals(4000, s.port());
    assertEquals(Path.of("/tmp/x"), s.dataDir());
    assertEquals(1024, s.poolMemoryMb());
    assertEquals(2, s.prewarmCount());
  }

  @Test
  void portDefaultsToStandaloneOpenWhisks() {
    assertEquals(3233, WhiskMain.parse(new String[] {"--data-dir", "d"}).port());
  }

  @Test
  void badOptionsAreNamed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WhiskMain.parse(
        new String[] {"--port", "1"})).getMessage().contains("--data-dir is required"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WhiskMain.parse(
        new String[] {"--port", "x", "--data-dir", "d"})).getMessage()
        .contains("--port expects a number, got 'x'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WhiskMain.parse(
        new String[] {"--bogus", "1"})).getMessage().contains("unknown option --bogus"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WhiskMain.parse(
        new String[] {"--data-dir"})).getMessage().contains("--data-dir needs a value"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WhiskMain.parse(
        new String[] {"--data-dir", "d", "--port", "70000"})).getMessage()
        .contains("port = 70000 is invalid"));
  }
}
