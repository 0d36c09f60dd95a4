package io.marvel.faas.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.MarvelBuild;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.whisk.client.ScriptedWhiskServer;
import io.marvel.whisk.client.StockControllerRules;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The launcher against a scripted stock OpenWhisk controller: what it reads before a job, and
 * the task action it creates, held against the controller's rules
 * ({@link StockControllerRules}, facts from apache/openwhisk's sources).
 */
class OpenWhiskLauncherStockTest {
  /** A stock 2.x controller's limits (Limits.scala, application.conf defaults). */
  private static final String STOCK_LIMITS = "{\"invocationsPerMinute\":60,"
      + "\"concurrentInvocations\":30,\"firesPerMinute\":60,\"minActionMemory\":128,"
      + "\"maxActionMemory\":512,\"minActionLogs\":0,\"maxActionLogs\":10,"
      + "\"minActionTimeout\":100,\"maxActionTimeout\":300000,\"minActionConcurrency\":1,"
      + "\"maxActionConcurrency\":1,\"maxParameterSize\":\"1048576 B\",\"maxActionInstances\":30}";
  private static final String NOT_FOUND =
      ScriptedWhiskServer.error("The requested resource does not exist.");

  private ScriptedWhiskServer server;
  private Configuration conf;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedWhiskServer();
    conf = new Configuration(false);
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, server.apiHost().toString());
    conf.set(FaasConfigKeys.OPENWHISK_AUTH_KEY, ScriptedWhiskServer.KEY);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OpenWhiskLauncher launcher() throws IOException {
    return OpenWhiskLauncher.create(FaasSettings.from(conf), null);
  }

  /** Scripts the replies to a deploy that creates the action, then lists no other actions. */
  private void scriptCreate() {
    server.then(404, NOT_FOUND)
        .then(200, "{\"namespace\":\"guest\",\"name\":\"t\",\"version\":\"0.0.1\",\"exec\":"
            + "{\"kind\":\"blackbox\",\"binary\":true},\"annotations\":[],\"limits\":"
            + "{\"memory\":512,\"timeout\":300000}}")
        .then(200, "[]");
  }

  @Test
  void withTheDefaultsTheTaskActionIsABlackboxActionAStockControllerAccepts()
      throws IOException {
    server.then(200, STOCK_LIMITS);
    scriptCreate();
    launcher().prepare();

    List<ScriptedWhiskServer.Request> requests = server.requestsWithBodies();
    assertEquals(List.of("GET /api/v1/namespaces/_/limits"), server.requests().subList(0, 1),
        "the limits are read first");
    ScriptedWhiskServer.Request put = requests.get(2);
    assertEquals("PUT", put.method());
    String name = TaskActionVersions.name(FaasConfigKeys.ACTION_NAME_DEFAULT,
        OpenWhiskLauncher.taskAction(FaasSettings.from(conf)).deployHash());
    assertTrue(put.uri().startsWith("/api/v1/namespaces/_/actions/" + name + "?"), put.uri());
    JsonObject body = JsonParser.parseString(put.body()).getAsJsonObject();
    assertEquals(List.of(), StockControllerRules.violations(name, body));
    JsonObject exec = body.getAsJsonObject("exec");
    assertEquals("blackbox", exec.get("kind").getAsString());
    assertEquals("marvel/task-runtime:" + MarvelBuild.VERSION,
        exec.get("image").getAsString());
    assertEquals(ActionJar.MAIN, exec.get("main").getAsString());
    assertTrue(StockControllerRules.binary(exec), "the controller flags the jar binary");
    assertArrayEquals(ActionJar.bytes(),
        Base64.getDecoder().decode(exec.get("code").getAsString()));
    assertEquals("{\"memory\":512,\"timeout\":300000,\"concurrency\":1}",
        body.getAsJsonObject("limits").toString());
  }

  @Test
  void settingsThePlatformCannotGrantAreRefusedBeforeAnythingIsDeployed() throws IOException {
    server.then(200, STOCK_LIMITS);
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, 1024);
    IOException e = assertThrows(IOException.class, launcher()::prepare);
    assertTrue(e.getMessage().startsWith("OpenWhisk at " + server.apiHost()
        + " (namespace _) cannot run this job's task action: mapreduce.faas.action.memory-mb ="
        + " 1024 is over the platform's limit of 512 MB (maxActionMemory)"), e.getMessage());
    assertEquals(List.of("GET /api/v1/namespaces/_/limits"), server.requests());
  }

  @Test
  void missingOrUnreadableLimitsAreAssumedStockAndTheJobGoesOn() throws IOException {
    server.then(404, NOT_FOUND);
    scriptCreate();
    launcher().prepare();
    assertEquals("PUT", server.requestsWithBodies().get(2).method());

    server.close();
    server = new ScriptedWhiskServer();
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, server.apiHost().toString());
    server.then(200, "{\"maxActionMemory\":\"lots\"}");
    scriptCreate();
    launcher().prepare();
    assertEquals("PUT", server.requestsWithBodies().get(2).method());
  }
}
