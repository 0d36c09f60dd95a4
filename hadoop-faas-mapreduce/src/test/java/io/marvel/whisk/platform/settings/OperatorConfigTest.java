package io.marvel.whisk.platform.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator's names of an OpenWhisk deployment: common/scala/transformEnvironment.sh turns
 * CONFIG_whisk_memory_max into whisk.memory.max (camelCase into kebab-case, so timeLimit is
 * time-limit), whose values application.conf writes as "512 m", "5 m", "100 ms".
 */
class OperatorConfigTest {
  @Test
  void stockLimitsAreApplicationConfsDefaults() {
    SystemLimits s = SystemLimits.STOCK;
    assertEquals(new SystemLimits(128, 512, 256, 100, 300_000, 60_000, 0, 10, 10, 1, 1, 1,
        1024 * 1024, 1024 * 1024, 48 * 1024 * 1024), s);
    assertEquals(s, OperatorConfig.apply(s, Map.of("PATH", "/bin", "CONFIG_whisk_spi_X", "y")));
  }

  @Test
  void theOperatorsNamesReplaceEachLimit() {
    SystemLimits s = OperatorConfig.apply(SystemLimits.STOCK, Map.of(
        "CONFIG_whisk_memory_max", "2 g", "CONFIG_whisk_memory_std", "512m",
        "CONFIG_whisk_timeLimit_max", "15 m", "CONFIG_whisk_timeLimit_min", "1s",
        "CONFIG_whisk_logLimit_max", "20 MiB", "CONFIG_whisk_parameterSizeLimit", "2 m",
        "CONFIG_whisk_activation_payload_max", "3145728",
        "CONFIG_whisk_execSizeLimit", "10 MB"));
    assertEquals(2048, s.maxMemoryMb());
    assertEquals(512, s.stdMemoryMb());
    assertEquals(900_000, s.maxTimeoutMs());
    assertEquals(1000, s.minTimeoutMs());
    assertEquals(20, s.maxLogsMb());
    assertEquals(2 * 1024 * 1024, s.maxParameterBytes());
    assertEquals(3 * 1024 * 1024, s.maxPayloadBytes());
    assertEquals(10_000_000, s.maxExecBytes(), "MB is 10^6 bytes in Typesafe config");
  }

  @Test
  void badValuesAreRefusedNamingTheVariable() {
    assertEquals("CONFIG_whisk_memory_max = 'lots' is not a size (for example 512 m, 1g,"
        + " 1048576)", assertThrows(IllegalArgumentException.class, () -> OperatorConfig.apply(
            SystemLimits.STOCK, Map.of("CONFIG_whisk_memory_max", "lots"))).getMessage());
    assertEquals("CONFIG_whisk_memory_maximum is not a setting this platform knows; use"
        + " CONFIG_whisk_memory_min, _max or _std", assertThrows(IllegalArgumentException.class,
            () -> OperatorConfig.apply(SystemLimits.STOCK,
                Map.of("CONFIG_whisk_memory_maximum", "1g"))).getMessage());
    assertEquals("CONFIG_whisk_memory_min/_max/_std = 128/200/256 is invalid; allowed: 0 <="
        + " min <= std <= max", assertThrows(IllegalArgumentException.class,
            () -> OperatorConfig.apply(SystemLimits.STOCK,
                Map.of("CONFIG_whisk_memory_max", "200 m"))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> OperatorConfig.apply(SystemLimits.STOCK,
        Map.of("CONFIG_whisk_concurrencyLimit_max", "2")));
  }
}
