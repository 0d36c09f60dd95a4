package io.marvel.whisk.platform.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.marvel.whisk.platform.runtime.RuntimeMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmContainerTest {
  @TempDir
  Path workDir;

  @Test
  void describesHowTheProcessEnded() {
    assertEquals("was killed by signal 9 (SIGKILL)", JvmContainer.describeExit(137));
    assertEquals("was killed by signal 15 (SIGTERM)", JvmContainer.describeExit(143));
    assertEquals("was killed by signal 6 (SIGABRT)", JvmContainer.describeExit(134));
    assertEquals("was killed by signal 12", JvmContainer.describeExit(140));
    assertEquals("exited with code 3", JvmContainer.describeExit(3));
    assertEquals("exited with code 0", JvmContainer.describeExit(0));
    assertEquals("exited with code 255", JvmContainer.describeExit(255));
  }

  @Test
  void aContainerWithoutPlacementIsTheJvmItselfOnLoopback() throws IOException {
    List<String> command = JvmContainer.command(spec(null));
    assertEquals(List.of("/jdk/bin/java", "-XX:MaxRAM=256m", "-XX:MaxRAMPercentage=70",
        "-Dfile.encoding=UTF-8", "-Dsun.jnu.encoding=UTF-8", "-Djava.security.manager=allow",
        "-Djava.io.tmpdir=" + workDir.resolve("tmp"),
        "-XX:+UseSerialGC", "@" + workDir.resolve("classpath.args"),
        RuntimeMain.class.getName()), command);
  }

  @Test
  void aPlacedContainerRunsThroughItsHostsPrefixAndBindsItsAddress() throws IOException {
    Placement host = new Placement("host1", List.of("ip", "netns", "exec", "ns1"), "198.18.0.2",
        Map.of());
    List<String> command = JvmContainer.command(spec(host));
    assertEquals(List.of("ip", "netns", "exec", "ns1", "/jdk/bin/java"), command.subList(0, 5));
    assertEquals(List.of(RuntimeMain.class.getName(), "--bind", "198.18.0.2"),
        command.subList(command.size() - 3, command.size()));
    List<String> unplaced = JvmContainer.command(spec(null));
    assertEquals(unplaced, command.subList(4, command.size() - 2), "the JVM's own command");
  }

  @Test
  void aPlacementNeedsANameAndANumericAddress() {
    IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
        () -> new Placement(" ", List.of(), "198.18.0.2", Map.of()));
    assertEquals("a placement needs a host name", name.getMessage());
    IllegalArgumentException address = assertThrows(IllegalArgumentException.class,
        () -> new Placement("host1", List.of(), "host1.example", Map.of()));
    assertEquals("host host1: address 'host1.example' is not a numeric IP address",
        address.getMessage());
  }

  private ContainerSpec spec(Placement placement) throws IOException {
    Files.createDirectories(workDir);
    return new ContainerSpec("c1", null, 256, Path.of("/jdk/bin/java"), "a.jar",
        List.of("-XX:+UseSerialGC"), Map.of(), workDir, Duration.ofSeconds(5), placement);
  }
}
