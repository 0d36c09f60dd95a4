package io.marvel.whisk.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.marvel.whisk.client.ActionSpec;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.ActivationStatus;
import io.marvel.whisk.platform.settings.PlatformSettings;
import io.marvel.whisk.testing.ActionJars;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded platform's containers behave as an OpenWhisk invoker and its Java runtime do,
 * on a host whose locale is {@code C} (the platform's container environment says so).
 */
class RuntimeBehaviourTest extends PlatformHarness {
  private static final String TEXT = "gr\u00fc\u00dfe \u20ac \u65e5\u672c";
  private byte[] jar;

  @Override
  protected PlatformSettings.Builder configure(PlatformSettings.Builder builder) {
    // An operator's log limit default of 1 MB (whisk.log-limit.std), to truncate cheaply.
    return builder.containerEnv(Map.of("LANG", "C", "LC_ALL", "C"))
        .operatorConfig(Map.of("CONFIG_whisk_logLimit_std", "1 m"));
  }

  @BeforeAll
  void deploy() throws IOException {
    jar = ActionJars.behaviour(Files.createDirectories(dataDir.resolve("behaviour")));
  }

  private ActionSpec action(String name) {
    return ActionSpec.java(name, ActionJars.BEHAVIOUR_MAIN, jar);
  }

  private Activation run(String action, String key, Object value) throws IOException {
    Activation a = invoke(action, params(key, value));
    // The record a blocking invoke returns has no logs (as OpenWhisk's); read it again.
    return client.getActivation(a.activationId()).orElseThrow();
  }

  private static List<String> texts(Activation a) {
    // "<timestamp padded to 30> <stream>: <text>"
    return a.logs().stream().map(l -> l.substring(31)).toList();
  }

  @Test
  void theFirstActivationsLogsHoldOnlyWhatTheActionPrinted() throws IOException {
    client.deploy(action("first"));
    // The two streams are read apart, so their lines may interleave either way.
    assertEquals(List.of("stderr: " + TEXT, "stdout: " + TEXT),
        texts(run("first", "print", TEXT)).stream().sorted().toList());
  }

  @Test
  void nonAsciiTextSurvivesAnAsciiLocale() throws IOException {
    client.deploy(action("utf8"));
    Activation a = run("utf8", "print", TEXT);
    JsonObject r = a.result().getAsJsonObject();
    assertEquals(TEXT, r.get("text").getAsString());
    assertEquals("UTF-8", r.get("file.encoding").getAsString());
    assertEquals("UTF-8", r.get("sun.jnu.encoding").getAsString(), "file names too");
    assertTrue(texts(a).contains("stdout: " + TEXT), a.logs().toString());
  }

  /** The heap is 70 % of the container's memory and holds Hadoop's 100 MB sort buffer. */
  @Test
  void theHeapIsAShareOfTheContainersMemory() throws IOException {
    client.deploy(action("heap").withMemoryMb(512));
    Activation a = run("heap", "allocateMb", 100);
    assertEquals(ActivationStatus.SUCCESS, a.status(), String.valueOf(a.result()));
    long maxHeap = a.result().getAsJsonObject().get("maxHeap").getAsLong();
    // Runtime.maxMemory(): 70% of the action's memory, rounded up to the heap's alignment
    // (2 MiB), less one survivor space, which the young generation's cap (-XX:MaxNewSize=8m)
    // makes smaller than that rounding.
    long share = (long) (0.7 * 512 * 1024 * 1024);
    assertTrue(maxHeap > 0.6 * 512 * 1024 * 1024 && maxHeap <= share + (2 << 20),
        "max heap " + maxHeap);
    assertEquals(100 << 20, a.result().getAsJsonObject().get("allocated").getAsInt());
  }

  @Test
  void systemExitIsAnApplicationErrorAndTheContainerLivesOn() throws IOException {
    client.deploy(action("exit"));
    long pid = run("exit", "x", 1).result().getAsJsonObject().get("pid").getAsLong();
    Activation exit = run("exit", "exit", 3);
    assertEquals(ActivationStatus.APPLICATION_ERROR, exit.status());
    assertEquals("An error has occurred while invoking the action (see logs for details):"
        + " java.lang.SecurityException: System.exit(3) called from within an action.",
        exit.error());
    assertTrue(exit.logs().stream().anyMatch(l -> l.contains("stderr: java.lang.Security"
        + "Exception: System.exit(3) called from within an action.")), exit.logs().toString());
    Activation terminate = run("exit", "terminate", 4);
    assertEquals(ActivationStatus.APPLICATION_ERROR, terminate.status());
    assertTrue(terminate.error().endsWith("System.exit(4) called from within an action."));
    assertEquals(pid, run("exit", "x", 1).result().getAsJsonObject().get("pid").getAsLong(),
        "the same warm container");
  }

  @Test
  void theApiHostIsASystemProperty() throws IOException {
    client.deploy(action("host"));
    assertEquals(whisk.apiHost().toString(), run("host", "x", 1).result().getAsJsonObject()
        .get("__OW_API_HOST").getAsString());
  }

  /**
   * An action printing 3 MB under a 1 MB log limit: its logs end with OpenWhisk's notice
   * (Messages.truncateLogs in common/scala/.../http/ErrorResponse.scala, appended on stderr by
   * DockerContainer.scala's log collection), its result is whole.
   */
  @Test
  void megabytesOfLogsAreTruncatedAtTheLimitAndTheResultIsIntact() throws IOException {
    client.deploy(action("chatty"));
    Activation a = client.getActivation(client.invokeBlocking("chatty",
        params("logKb", 3 * 1024), Duration.ofSeconds(60)).activationId()).orElseThrow();
    assertEquals(ActivationStatus.SUCCESS, a.status());
    assertTrue(a.result().getAsJsonObject().has("maxHeap"));
    List<String> texts = texts(a);
    assertEquals("stderr: Logs were truncated because the total bytes size exceeds the limit"
        + " of 1048576 bytes.", texts.get(texts.size() - 1));
    long bytes = a.logs().stream().mapToLong(l -> l.length() + 1).sum();
    assertTrue(bytes < 1024 * 1024 + 2048, "logs of " + bytes + " bytes");
  }
}
