package io.marvel.whisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against scripted OpenWhisk replies: cases the embedded platform does not make. */
class WhiskClientProtocolTest {
  private static final String KEY = ScriptedWhiskServer.KEY;
  private static final String ID = "0123456789abcdef0123456789abcdef";

  private ScriptedWhiskServer server;
  private WhiskClient client;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedWhiskServer();
    client = WhiskClient.create(server.settings()
        .withRetries(4, Duration.ofMillis(5), Duration.ofMillis(50)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void blockingInvokeThatGets202PollsUntilTheRecordExists() throws IOException {
    server.then(202, "{\"activationId\":\"" + ID + "\"}", ID)
        .then(404, ScriptedWhiskServer.error("The requested resource does not exist."))
        .then(200, ScriptedWhiskServer.activation(ID, "success", "{\"n\":1}"));
    Activation a = client.invokeBlocking("a", new JsonObject(), Duration.ofSeconds(10));
    assertTrue(a.success());
    assertEquals(1, a.result().getAsJsonObject().get("n").getAsInt());
    List<String> requests = server.requests();
    assertTrue(requests.get(0).startsWith("POST /api/v1/namespaces/_/actions/a?"),
        requests.get(0));
    assertTrue(requests.get(0).contains("blocking=true"), requests.get(0));
    assertEquals("GET /api/v1/namespaces/_/activations/" + ID, requests.get(2));
  }

  @Test
  void throttledInvokeBacksOffAndRetries() throws IOException {
    String throttled = ScriptedWhiskServer.error(
        "Too many concurrent requests in flight (count: 30, allowed: 30).");
    server.then(429, throttled).then(429, throttled).then(429, throttled)
        .then(202, "{\"activationId\":\"" + ID + "\"}", ID);
    assertEquals(ID, client.invokeNonBlocking("a", new JsonObject()));
    assertEquals(4, server.requests().size());
  }

  @Test
  void throttlingThatOutlastsTheRetriesNamesTheLimit() {
    String throttled = ScriptedWhiskServer.error(
        "Too many requests in the last minute (count: 61, allowed: 60).");
    for (int i = 0; i < 5; i++) {
      server.then(429, throttled);
    }
    WhiskException e = assertThrows(WhiskException.class,
        () -> client.invokeNonBlocking("a", new JsonObject()));
    assertEquals(429, e.statusCode());
    assertTrue(e.getMessage().contains("Too many requests in the last minute"), e.getMessage());
    assertTrue(e.getMessage().contains("throttled"), e.getMessage());
  }

  @Test
  void unavailableIsRetriedForInvokes() throws IOException {
    server.then(503, ScriptedWhiskServer.error("No invokers available."))
        .then(200, ScriptedWhiskServer.activation(ID, "success", "{}"));
    assertTrue(client.invokeBlocking("a", new JsonObject(), Duration.ofSeconds(5)).success());
    assertEquals(2, server.requests().size());
  }

  @Test
  void internalErrorOfAnInvokeIsNotRetried() {
    server.then(500, ScriptedWhiskServer.error("Internal server error"));
    WhiskException e = assertThrows(WhiskException.class,
        () -> client.invokeNonBlocking("a", new JsonObject()));
    assertEquals(500, e.statusCode());
    assertEquals(1, server.requests().size());
  }

  @Test
  void badGatewayOfAGetIsRetried() throws IOException {
    server.then(502, ScriptedWhiskServer.error("bad gateway"))
        .then(200, "{\"namespace\":\"guest\",\"name\":\"a\",\"version\":\"0.0.1\","
            + "\"exec\":{\"kind\":\"java:8\",\"main\":\"A\"},\"annotations\":[],"
            + "\"limits\":{\"memory\":256,\"timeout\":60000}}");
    assertEquals("0.0.1", client.getAction("a").get().version());
  }

  @Test
  void droppedConnectionOfAGetIsRetried() throws IOException {
    server.thenDrop().then(200, "[]");
    assertEquals(List.of(), client.listActions());
    assertEquals(2, server.requests().size());
  }

  @Test
  void droppedConnectionOfAnInvokeIsNotRetried() {
    server.thenDrop().then(202, "{\"activationId\":\"" + ID + "\"}", ID);
    WhiskException e = assertThrows(WhiskException.class,
        () -> client.invokeNonBlocking("a", new JsonObject()));
    assertEquals(1, server.requests().size(), "an invoke that may have run must not repeat");
    assertTrue(e.getMessage().startsWith("invoke action 'a' failed: the connection to OpenWhisk"),
        e.getMessage());
  }

  @Test
  void wrongKeySaysCheckTheAuthKey() {
    server.then(401, ScriptedWhiskServer.error("The supplied authentication is invalid"));
    WhiskException e = assertThrows(WhiskException.class, () -> client.listActions());
    assertEquals(401, e.statusCode());
    assertTrue(e.getMessage().contains("401"), e.getMessage());
    assertTrue(e.getMessage().contains("check the auth key"), e.getMessage());
    assertTrue(e.getMessage().contains("/api/v1/namespaces/_/actions"), e.getMessage());
    assertEquals("4e6b0c0f5b8a4b2d9a8e", e.whiskCode());
  }

  @Test
  void failedBlockingActivationIsReturnedAsARecord() throws IOException {
    server.then(502, ScriptedWhiskServer.activation(ID, "action developer error",
        "{\"error\":\"boom\"}"), ID);
    Activation a = client.invokeBlocking("a", new JsonObject(), Duration.ofSeconds(5));
    assertEquals(ActivationStatus.DEVELOPER_ERROR, a.status());
    assertEquals("boom", a.error());
  }

  @Test
  void invokeForResultNamesTheFailedActivation() {
    server.then(502, ScriptedWhiskServer.activation(ID, "application error",
        "{\"error\":\"bad input\"}"), ID);
    WhiskException e = assertThrows(WhiskException.class,
        () -> client.invokeForResult("a", new JsonObject(), Duration.ofSeconds(5)));
    assertTrue(e.getMessage().contains(ID), e.getMessage());
    assertTrue(e.getMessage().contains("application error: bad input"), e.getMessage());
  }

  @Test
  void awaitActivationGivesUpAtItsDeadline() {
    for (int i = 0; i < 100; i++) {
      server.then(404, ScriptedWhiskServer.error("The requested resource does not exist."));
    }
    long t0 = System.nanoTime();
    WhiskException e = assertThrows(WhiskException.class,
        () -> client.awaitActivation(ID, Duration.ofMillis(300)));
    // Generous: the client's first request starts its HTTP machinery inside the measured time.
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 15_000, "kept polling past its deadline");
    assertTrue(e.getMessage().contains(ID) && e.getMessage().contains("300 ms"), e.getMessage());
  }

  @Test
  void deploySkipsTheUploadWhenTheHashIsUnchanged() throws IOException {
    ActionSpec spec = ActionSpec.java("a", "A", new byte[] {1, 2, 3});
    server.then(200, "{\"namespace\":\"guest\",\"name\":\"a\",\"version\":\"0.0.1\","
        + "\"exec\":{\"binary\":true},\"annotations\":[{\"key\":\"marvel-deploy-hash\","
        + "\"value\":\"" + spec.deployHash() + "\"}],\"limits\":{}}");
    assertEquals(spec.deployHash(), client.deploy(spec).deployHash());
    assertEquals(1, server.requests().size());
    assertTrue(server.requests().get(0).startsWith("GET "));
  }

  /**
   * OpenWhisk answers 409 "Concurrent modification to resource detected." to a create or update
   * that lost a race with another client's (WriteOps.putEntity in apache/openwhisk's
   * core/controller/.../controller/ApiUtils.scala): the winner's action is read again.
   */
  @Test
  void deployThatLosesARaceToTheSameContentSucceedsWithoutWritingAgain() throws IOException {
    ActionSpec spec = ActionSpec.java("a", "A", new byte[] {1, 2, 3});
    server.then(404, ScriptedWhiskServer.error("The requested resource does not exist."))
        .then(409, ScriptedWhiskServer.error("Concurrent modification to resource detected."))
        .then(200, action(spec.deployHash(), "0.0.1"));
    assertEquals(spec.deployHash(), client.deploy(spec).deployHash());
    assertEquals(List.of("GET", "PUT", "GET"), methods());
  }

  @Test
  void deployThatLosesARaceToOtherContentWritesAgain() throws IOException {
    ActionSpec spec = ActionSpec.java("a", "A", new byte[] {1, 2, 3});
    server.then(404, ScriptedWhiskServer.error("The requested resource does not exist."))
        .then(409, ScriptedWhiskServer.error("Concurrent modification to resource detected."))
        .then(200, action("0ther", "0.0.1"))
        .then(200, action(spec.deployHash(), "0.0.2"));
    assertEquals("0.0.2", client.deploy(spec).version());
    assertEquals(List.of("GET", "PUT", "GET", "PUT"), methods());
  }

  @Test
  void deployThatKeepsMeeting409GivesUpAfterThreeWrites() throws IOException {
    ActionSpec spec = ActionSpec.java("a", "A", new byte[] {1, 2, 3});
    for (int i = 0; i < 3; i++) {
      server.then(200, action("0ther" + i, "0.0." + (i + 1)))
          .then(409, ScriptedWhiskServer.error("Concurrent modification to resource detected."));
    }
    WhiskException e = assertThrows(WhiskException.class, () -> client.deploy(spec));
    assertEquals(409, e.statusCode());
    assertTrue(e.getMessage().contains("deploy action 'a'")
        && e.getMessage().contains("Concurrent modification"), e.getMessage());
    assertEquals(6, server.requests().size());
  }

  private static String action(String hash, String version) {
    return "{\"namespace\":\"guest\",\"name\":\"a\",\"version\":\"" + version + "\","
        + "\"exec\":{\"binary\":true},\"annotations\":[{\"key\":\"marvel-deploy-hash\","
        + "\"value\":\"" + hash + "\"}],\"limits\":{}}";
  }

  private List<String> methods() {
    return server.requests().stream().map(r -> r.substring(0, r.indexOf(' '))).toList();
  }

  @Test
  void refusedConnectionSaysSoWithinSeconds() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    WhiskClient c = WhiskClient.create(WhiskSettings.of(URI.create("http://127.0.0.1:" + port),
        KEY));
    long t0 = System.nanoTime();
    WhiskException e = assertThrows(WhiskException.class, c::listActions);
    // The default 4 retries of a refused connection take about 1.5 s; the bound is generous
    // for a loaded machine and still tells a client that hangs.
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 15_000, "took too long");
    assertEquals(0, e.statusCode());
    assertTrue(e.getMessage().contains("cannot reach OpenWhisk at http://127.0.0.1:" + port),
        e.getMessage());
    assertTrue(e.getMessage().contains("check the apihost"), e.getMessage());
  }

  @Test
  void silentServerTimesOutWithAClearMessage() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try (Socket s = silent.accept(); InputStream in = s.getInputStream()) {
          in.read(new byte[4096]);
          Thread.sleep(60_000);
        } catch (IOException | InterruptedException e) {
          // The test is over; the socket closes.
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      WhiskClient c = WhiskClient.create(WhiskSettings.of(URI.create("http://127.0.0.1:"
          + silent.getLocalPort()), KEY).withTimeouts(Duration.ofSeconds(1),
          Duration.ofMillis(500)));
      long t0 = System.nanoTime();
      WhiskException e = assertThrows(WhiskException.class, c::listActions);
      // Well before the server gives up (60 s); generous, as the first request starts the
      // client's HTTP machinery inside the measured time.
      assertTrue((System.nanoTime() - t0) / 1_000_000 < 15_000, "took too long");
      assertTrue(e.getMessage().contains("gave no reply within the time limit"), e.getMessage());
      acceptor.interrupt();
    }
  }

  @Test
  void unreadableCaFileIsNamed() {
    IOException e = assertThrows(IOException.class, () -> WhiskClient.create(
        WhiskSettings.of(URI.create("https://127.0.0.1:1"), KEY)
            .withCaFile(Path.of("/nonexistent/ca.pem"))));
    assertTrue(e.getMessage().contains("/nonexistent/ca.pem"), e.getMessage());
    assertFalse(e.getMessage().contains("123zO3"), e.getMessage());
  }
}
