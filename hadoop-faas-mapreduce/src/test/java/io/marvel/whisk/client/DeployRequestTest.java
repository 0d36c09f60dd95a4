package io.marvel.whisk.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The create request the client sends for an action, held against what a stock OpenWhisk
 * controller accepts ({@link StockControllerRules}, facts from apache/openwhisk's sources).
 */
class DeployRequestTest {
  private static final String IMAGE = "registry.example.com:5000/marvel/task-runtime:0.1.0";

  private ScriptedWhiskServer server;
  private WhiskClient client;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedWhiskServer();
    client = WhiskClient.create(server.settings());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Sends the create of {@code spec} and returns the PUT body the server received. */
  private JsonObject createBody(ActionSpec spec) throws IOException {
    server.then(404, ScriptedWhiskServer.error("The requested resource does not exist."))
        .then(200, "{\"namespace\":\"guest\",\"name\":\"" + spec.name() + "\",\"version\":"
            + "\"0.0.1\",\"exec\":{\"kind\":\"blackbox\",\"binary\":true},\"annotations\":[],"
            + "\"limits\":{\"memory\":" + spec.memoryMb() + ",\"timeout\":" + spec.timeoutMs()
            + "}}");
    client.deploy(spec);
    List<ScriptedWhiskServer.Request> requests = server.requestsWithBodies();
    assertEquals(2, requests.size(), requests.toString());
    ScriptedWhiskServer.Request put = requests.get(1);
    assertEquals("PUT", put.method());
    assertTrue(put.uri().startsWith("/api/v1/namespaces/_/actions/" + spec.name()
        + "?overwrite=true"), put.uri());
    return JsonParser.parseString(put.body()).getAsJsonObject();
  }

  @Test
  void aBlackboxActionIsCreatedAsAStockControllerAcceptsIt() throws IOException {
    byte[] jar = new byte[600_000];
    new Random(7).nextBytes(jar);
    ActionSpec spec = ActionSpec.blackbox("marvel-mapreduce-task-0123456789abcdef", IMAGE,
        "io.marvel.faas.task.TaskAction", jar).withMemoryMb(512).withTimeoutMs(300_000);
    JsonObject body = createBody(spec);
    assertEquals(List.of(), StockControllerRules.violations(spec.name(), body), body.toString()
        .substring(0, 200));
    JsonObject exec = body.getAsJsonObject("exec");
    assertEquals("blackbox", exec.get("kind").getAsString());
    assertEquals(IMAGE, exec.get("image").getAsString());
    assertEquals("io.marvel.faas.task.TaskAction", exec.get("main").getAsString());
    // The runtime's /init decodes the code as base64, so the controller must flag it binary.
    assertTrue(StockControllerRules.binary(exec));
    assertArrayEquals(jar, Base64.getDecoder().decode(exec.get("code").getAsString()));
    JsonObject limits = body.getAsJsonObject("limits");
    assertEquals(512, limits.get("memory").getAsInt());
    assertEquals(300_000, limits.get("timeout").getAsInt());
    assertEquals(1, limits.get("concurrency").getAsInt());
    assertEquals(spec.deployHash(), body.getAsJsonArray("annotations").get(0).getAsJsonObject()
        .get("value").getAsString());
  }

  @Test
  void theRulesRefuseWhatAStockControllerRefuses() throws IOException {
    JsonObject good = createBody(ActionSpec.blackbox("a", IMAGE, "Main", new byte[] {1, 2, 3}));
    String name = "a";
    assertEquals(List.of(), StockControllerRules.violations(name, good));

    JsonObject java17 = good.deepCopy();
    java17.getAsJsonObject("exec").addProperty("kind", "java:17");
    assertEquals(List.of("kind 'java:17' is not a runtime of a stock deployment (Exec.scala)"),
        StockControllerRules.violations(name, java17));
    JsonObject noImage = good.deepCopy();
    noImage.getAsJsonObject("exec").remove("image");
    assertEquals(List.of("'image' must be a string defined in 'exec' for 'blackbox' actions"
        + " (Exec.scala)"), StockControllerRules.violations(name, noImage));
    // ExecManifestTests.scala: "ABC" and "p/a:x:y" are not image names.
    for (String bad : List.of("ABC", "p/a:x:y")) {
      JsonObject badImage = good.deepCopy();
      badImage.getAsJsonObject("exec").addProperty("image", bad);
      assertEquals(1, StockControllerRules.violations(name, badImage).size(), bad);
    }
    JsonObject big = good.deepCopy();
    big.getAsJsonObject("limits").addProperty("memory", 1024);
    big.getAsJsonObject("limits").addProperty("timeout", 300_001);
    big.getAsJsonObject("limits").addProperty("concurrency", 2);
    assertEquals(List.of("limits.memory = 1024 is outside 128 to 512",
        "limits.timeout = 300001 is outside 100 to 300000",
        "limits.concurrency = 2 is outside 1 to 1"),
        StockControllerRules.violations(name, big));
    JsonObject text = good.deepCopy();
    text.getAsJsonObject("exec").addProperty("code", "not base64!");
    assertFalse(StockControllerRules.binary(text.getAsJsonObject("exec")));
    assertEquals(1, StockControllerRules.violations("-a", good).size());
  }

  @Test
  void theDeployHashCoversKindAndImage() {
    byte[] jar = {1, 2, 3};
    ActionSpec blackbox = ActionSpec.blackbox("a", IMAGE, "Main", jar);
    assertNotEquals(blackbox.deployHash(),
        ActionSpec.blackbox("a", IMAGE + "1", "Main", jar).deployHash());
    assertNotEquals(blackbox.deployHash(), ActionSpec.java("a", "Main", jar).deployHash());
    assertEquals(blackbox.deployHash(),
        ActionSpec.blackbox("b", IMAGE, "Main", jar).deployHash(), "the name is not content");
  }

  @Test
  void aBlackboxActionNeedsAnImageNameAndOnlyItHasOne() {
    assertThrows(IllegalArgumentException.class,
        () -> new ActionSpec("a", ActionSpec.BLACKBOX, null, "Main", new byte[1], 256, 1000, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new ActionSpec("a", ActionSpec.JAVA_8, IMAGE, "Main", new byte[1], 256, 1000, 0));
    assertThrows(IllegalArgumentException.class,
        () -> ActionSpec.blackbox("a", "Marvel/Task", "Main", new byte[1]));
  }
}
