package io.marvel.whisk.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.marvel.whisk.client.ActionInfo;
import io.marvel.whisk.client.ActionSpec;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.ActivationStatus;
import io.marvel.whisk.client.WhiskClient;
import io.marvel.whisk.client.WhiskException;
import io.marvel.whisk.client.WhiskSettings;
import io.marvel.whisk.platform.settings.PlatformSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Our client against the embedded platform: actions, invokes, activations, failures. */
class EmbeddedWhiskTest extends PlatformHarness {

  @Test
  void deployGetListDeleteLifecycle() throws IOException {
    ActionInfo first = client.deploy(probe("crud").withMemoryMb(128));
    assertEquals("0.0.1", first.version());
    assertEquals("java:8", first.kind());
    assertEquals(128, first.memoryMb());
    assertEquals("0.0.1", client.deploy(probe("crud").withMemoryMb(128)).version(),
        "an unchanged deploy must not upload");
    assertEquals("0.0.2", client.deploy(probe("crud").withMemoryMb(256)).version());
    assertEquals("marvel.test.ProbeAction", client.getAction("crud").get().main());
    assertTrue(client.listActions().stream().anyMatch(a -> a.name().equals("crud")));
    assertTrue(client.deleteAction("crud"));
    assertFalse(client.deleteAction("crud"));
    assertTrue(client.getAction("crud").isEmpty());
    WhiskException e = assertThrows(WhiskException.class,
        () -> client.invokeNonBlocking("crud", new JsonObject()));
    assertEquals(404, e.statusCode());
    assertTrue(e.getMessage().contains("crud"), e.getMessage());
  }

  @Test
  void coldThenWarmInvocationReusesTheContainer() throws IOException {
    client.deploy(probe("warm"));
    Activation cold = invoke("warm", params("x", 1));
    assertTrue(cold.success(), cold.toString());
    assertEquals(1, cold.result().getAsJsonObject().getAsJsonObject("echo").get("x").getAsInt());
    assertEquals(cold.activationId(), cold.result().getAsJsonObject().get("activationId")
        .getAsString());
    assertTrue(cold.annotations().containsKey("initTime"), cold.annotations().toString());
    assertEquals("java:8", cold.annotations().get("kind").getAsString());
    assertEquals("guest/warm", cold.annotations().get("path").getAsString());
    assertEquals(256, cold.annotations().get("limits").getAsJsonObject().get("memory").getAsInt());
    assertTrue(cold.annotations().containsKey("waitTime"));
    assertFalse(cold.annotations().containsKey(Activation.HOST_ANNOTATION),
        "no host without a placement: " + cold.annotations());
    Activation warm = invoke("warm", params("x", 2));
    assertEquals(pid(cold), pid(warm));
    assertFalse(warm.annotations().containsKey("initTime"), warm.annotations().toString());
  }

  @Test
  void nonBlockingInvokeCanBeAwaitedAndItsResultAndLogsRead() throws IOException {
    client.deploy(probe("async"));
    String id = client.invokeNonBlocking("async", params("log", 2));
    assertTrue(id.matches("[0-9a-f]{32}"), id);
    Activation a = client.awaitActivation(id, Duration.ofSeconds(60));
    assertTrue(a.success());
    assertEquals(ActivationStatus.SUCCESS, client.activationResult(id).status());
    List<String> logs = client.activationLogs(id);
    assertEquals(4, logs.size(), logs.toString());
    assertTrue(logs.stream().anyMatch(l -> l.endsWith(" stdout: out line 1")), logs.toString());
    assertTrue(logs.stream().anyMatch(l -> l.endsWith(" stderr: err line 0")), logs.toString());
    assertTrue(logs.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+(stdout|stderr): .*"),
        logs.get(0));
    assertEquals(logs, a.logs());
  }

  @Test
  void wrongKeyIs401SayingCheckTheAuthKey() throws IOException {
    WhiskSettings good = whisk.clientSettings();
    String key = good.authKey();
    // Another last character: a random key that ends in 'x' would stay the good one.
    String badKey = key.substring(0, key.length() - 1) + (key.endsWith("x") ? "y" : "x");
    assertNotEquals(key, badKey);
    WhiskClient bad = WhiskClient.create(WhiskSettings.of(good.apiHost(), badKey));
    WhiskException e = assertThrows(WhiskException.class, bad::listActions);
    assertEquals(401, e.statusCode());
    assertTrue(e.getMessage().contains("401 The supplied authentication is invalid"),
        e.getMessage());
    assertTrue(e.getMessage().contains("check the auth key"), e.getMessage());
  }

  @Test
  void applicationErrorKeepsTheContainerDeveloperErrorReplacesIt() throws IOException {
    client.deploy(probe("errors"));
    long first = pid(invoke("errors", new JsonObject()));
    Activation app = invoke("errors", params("error", "bad input"));
    assertEquals(ActivationStatus.APPLICATION_ERROR, app.status());
    assertEquals("bad input", app.error());
    assertEquals(first, pid(invoke("errors", new JsonObject())));
    Activation dev = invoke("errors", params("fail", "boom"));
    assertEquals(ActivationStatus.DEVELOPER_ERROR, dev.status());
    assertTrue(dev.error().contains("IllegalStateException: boom"), dev.error());
    assertNotEquals(first, pid(invoke("errors", new JsonObject())));
  }

  /**
   * As ContainerProxy.scala: a call past the action's time limit is a developer error with
   * Messages.timedoutActivation (common/scala/.../http/ErrorResponse.scala), the activation's
   * timeout annotation is true, and the container is destroyed.
   */
  @Test
  void timeoutKillsTheContainerAndReportsOpenWhisksError() throws IOException {
    // 3 s, not less: the cold start's /init has the same limit and a busy machine may take
    // more than a second to load the action there.
    client.deploy(probe("slow").withTimeoutMs(3000));
    long before = pid(invoke("slow", new JsonObject()));
    long t0 = System.nanoTime();
    Activation a = invoke("slow", params("sleepMs", 20_000));
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 15_000, "the time limit was not enforced");
    assertEquals(ActivationStatus.DEVELOPER_ERROR, a.status());
    assertEquals("The action exceeded its time limits of 3000 milliseconds.", a.error());
    assertTrue(a.annotations().get("timeout").getAsBoolean());
    assertFalse(ProcessHandle.of(before).map(ProcessHandle::isAlive).orElse(false));
    assertNotEquals(before, pid(invoke("slow", new JsonObject())));
  }

  /** System.exit is refused (RuntimeBehaviourTest); a container killed from outside dies. */
  @Test
  void aContainerThatDiesIsADeveloperErrorAndIsReplaced() throws Exception {
    client.deploy(probe("dies"));
    long before = pid(invoke("dies", new JsonObject()));
    Path started = dataDir.resolve("dies-started");
    JsonObject slow = new JsonObject();
    slow.addProperty("touch", started.toString());
    slow.addProperty("sleepMs", 30_000);
    CompletableFuture<Activation> running = CompletableFuture.supplyAsync(() -> {
      try {
        return invoke("dies", slow);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    assertTrue(eventually(Duration.ofSeconds(30), () -> Files.exists(started)));
    ProcessHandle.of(before).orElseThrow().destroyForcibly();
    Activation a = running.get(60, TimeUnit.SECONDS);
    assertEquals(ActivationStatus.DEVELOPER_ERROR, a.status());
    assertEquals("The action did not produce a valid response and exited unexpectedly. Its"
        + " container process (pid " + before + ") was killed by signal 9 (SIGKILL).",
        a.error());
    Activation next = invoke("dies", new JsonObject());
    assertTrue(next.success());
    assertNotEquals(before, pid(next));
  }

  @Test
  void updatedActionGetsAFreshContainer() throws IOException {
    client.deploy(probe("update"));
    long before = pid(invoke("update", new JsonObject()));
    client.deploy(probe("update").withTimeoutMs(30_000));
    assertNotEquals(before, pid(invoke("update", new JsonObject())));
  }

  @Test
  void initFailureIsADeveloperErrorNamingTheClass() throws IOException {
    client.deploy(ActionSpec.java("badmain", "no.such.Main", probeJar));
    Activation a = invoke("badmain", new JsonObject());
    assertEquals(ActivationStatus.DEVELOPER_ERROR, a.status());
    assertTrue(a.error().contains("ClassNotFoundException: no.such.Main"), a.error());
  }

  @Test
  void actionAboveTheMemoryLimitIsRefusedAtDeployNamingBothSizes() throws IOException {
    WhiskException e = assertThrows(WhiskException.class,
        () -> client.deploy(probe("huge").withMemoryMb(1024)));
    assertEquals(400, e.statusCode());
    assertTrue(e.getMessage().contains("memory size 1024 MB exceeds allowed threshold of 512 MB"),
        e.getMessage());
    assertEquals(512L, client.namespaceLimits().orElseThrow().memoryMb().orElseThrow().max(),
        "the namespace's limits report the stock largest action");
    assertEquals(512, client.deploy(probe("fits").withMemoryMb(512)).memoryMb());
  }

  @Test
  void containerThatCannotStartIsAWhiskErrorWithItsOutput() throws IOException {
    Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "marvel-whisk-badcp");
    try (EmbeddedWhisk broken = EmbeddedWhisk.start(PlatformSettings.builder(dir)
        .containerClasspath(dir.resolve("missing.jar").toString()).build())) {
      WhiskClient c = WhiskClient.create(broken.clientSettings());
      c.deploy(probe("nostart"));
      Activation a = c.invokeBlocking("nostart", new JsonObject(), Duration.ofSeconds(60));
      assertEquals(ActivationStatus.WHISK_ERROR, a.status());
      assertTrue(a.error().startsWith("Failed to start a container: Container "), a.error());
      assertTrue(a.error().contains("Could not find or load main class"), a.error());
      assertEquals(0, broken.poolSnapshot().containers(), broken.poolSnapshot().toString());
    } finally {
      deleteTree(dir);
    }
  }

  @Test
  void initOnlyParametersReachTheActionAndDefaultsAreMerged() throws Exception {
    client.deploy(probe("params"));
    String body = "{\"parameters\":[{\"key\":\"greeting\",\"value\":\"hi\"},"
        + "{\"key\":\"INIT_ONLY\",\"value\":\"secret\",\"init\":true}]}";
    HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(whisk.apiHost() + "/api/v1/namespaces/_/actions/params?overwrite=true"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            whisk.authKey().getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, put.statusCode(), put.body());
    Activation a = invoke("params", params("property", "INIT_ONLY"));
    assertTrue(a.success(), a.toString());
    JsonObject result = a.result().getAsJsonObject();
    assertEquals("secret", result.get("property").getAsString());
    assertEquals("hi", result.getAsJsonObject("echo").get("greeting").getAsString());
    assertFalse(result.getAsJsonObject("echo").has("INIT_ONLY"));
  }

  @Test
  void platformsSharingADataDirShareTheKeyButNotTheirContainers() throws IOException {
    try (EmbeddedWhisk second = EmbeddedWhisk.start(PlatformSettings.builder(
        whisk.authFile().getParent()).build())) {
      assertEquals(whisk.authKey(), second.authKey());
      assertNotEquals(whisk.apiHost(), second.apiHost());
      WhiskClient c = WhiskClient.create(second.clientSettings());
      c.deploy(probe("shared"));
      client.deploy(probe("shared"));
      assertTrue(c.invokeBlocking("shared", new JsonObject(), Duration.ofSeconds(60)).success());
      assertTrue(invoke("shared", new JsonObject()).success(),
          "starting a second platform must not remove the first one's container work dirs");
    }
    assertTrue(invoke("shared", new JsonObject()).success());
  }

  @Test
  void apiKeyReachesOnlyActionsThatAskForIt() throws Exception {
    client.deploy(probe("nokey"));
    Activation hidden = invoke("nokey", params("property", "__OW_API_KEY"));
    assertTrue(hidden.result().getAsJsonObject().get("property").isJsonNull(),
        hidden.result().toString());
    client.deploy(probe("withkey"));
    HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(whisk.apiHost() + "/api/v1/namespaces/_/actions/withkey?overwrite=true"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            whisk.authKey().getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(
            "{\"annotations\":[{\"key\":\"provide-api-key\",\"value\":true}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, put.statusCode(), put.body());
    Activation shown = invoke("withkey", params("property", "__OW_API_KEY"));
    assertEquals(whisk.authKey(), shown.result().getAsJsonObject().get("property").getAsString());
  }

  @Test
  void activationsCanBeListedPerActionNewestFirst() throws IOException {
    client.deploy(probe("listed"));
    String first = invoke("listed", params("n", 1)).activationId();
    String second = invoke("listed", params("n", 2)).activationId();
    List<Activation> listed = client.listActivations("listed", 10);
    assertEquals(List.of(second, first), listed.stream().map(Activation::activationId).toList());
    assertTrue(listed.get(0).success());
    assertEquals(1, client.listActivations(null, 1).size());
  }

  /**
   * Deploys of one action by clients that start at once (jobs submitted together) all succeed:
   * those whose write meets another's get 409, as from a stock OpenWhisk, and find the same
   * content deployed. A large jar widens the controller's window between read and write.
   */
  @Test
  void concurrentDeploysOfOneContentAllSucceed() throws Exception {
    byte[] jar = new byte[4 << 20];
    new Random(7).nextBytes(jar);
    ActionSpec spec = ActionSpec.java("deployed-at-once", "Main", jar);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<ActionInfo>> deploys = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        deploys.add(threads.submit(() -> {
          WhiskClient own = WhiskClient.create(whisk.clientSettings());
          go.await();
          return own.deploy(spec);
        }));
      }
      go.countDown();
      for (Future<ActionInfo> deploy : deploys) {
        assertEquals(spec.deployHash(), deploy.get(60, TimeUnit.SECONDS).deployHash());
      }
    } finally {
      threads.shutdownNow();
      client.deleteAction(spec.name());
    }
  }
}
