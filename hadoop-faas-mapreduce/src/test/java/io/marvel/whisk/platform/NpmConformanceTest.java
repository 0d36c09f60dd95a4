package io.marvel.whisk.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.marvel.whisk.testing.ActionJars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official Apache OpenWhisk JS client (npm {@code openwhisk}, pinned in
 * {@code src/test/js/package.json}) against the embedded platform, through
 * {@code src/test/js/conformance.js}.
 */
class NpmConformanceTest extends PlatformHarness {
  private static final Path JS_DIR = Path.of("src", "test", "js");

  @Test
  void officialClientDrivesThePlatform() throws IOException, InterruptedException {
    if (!Files.isDirectory(JS_DIR.resolve("node_modules").resolve("openwhisk"))) {
      fail("the npm package 'openwhisk' is not installed; run: npm ci --prefix "
          + "hadoop-faas-mapreduce/src/test/js (from the repository root)");
    }
    Path jar = dataDir.resolve("probe.jar");
    Files.write(jar, probeJar);
    Path output = dataDir.resolve("conformance.out");
    ProcessBuilder pb = new ProcessBuilder("node", "conformance.js")
        .directory(JS_DIR.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    pb.environment().put("WHISK_APIHOST", whisk.apiHost().toString());
    pb.environment().put("WHISK_AUTH", whisk.authKey());
    pb.environment().put("WHISK_JAR", jar.toString());
    pb.environment().put("WHISK_MAIN", ActionJars.PROBE_MAIN);
    Process node;
    try {
      node = pb.start();
    } catch (IOException e) {
      fail("cannot run node (" + e.getMessage() + "); install Node.js 18 or later");
      return;
    }
    if (!node.waitFor(180, TimeUnit.SECONDS)) {
      node.destroyForcibly().waitFor();
      fail("conformance.js did not finish within 180 s: "
          + Files.readString(output, StandardCharsets.UTF_8));
    }
    String out = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(0, node.exitValue(), out);
    assertTrue(out.contains("11 passed, 0 failed"), out);
  }
}
