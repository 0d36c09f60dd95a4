package io.marvel.whisk.platform.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.whisk.testing.ActionJars;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code /init} and {@code /run} contract of the runtime, served in this JVM. */
class ActionRuntimeTest {
  private static String probeCode;

  @TempDir
  static Path jars;

  @TempDir
  Path work;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();
  private ActionRuntime runtime;

  @BeforeAll
  static void buildJar() throws IOException {
    probeCode = Base64.getEncoder().encodeToString(ActionJars.probe(jars));
  }

  @BeforeEach
  void start() throws IOException {
    runtime = ActionRuntime.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        work, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() throws IOException {
    runtime.close();
  }

  private HttpResponse<String> post(String route, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + runtime.port() + route))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String init(String main, String code) {
    JsonObject value = new JsonObject();
    value.addProperty("name", "probe");
    value.addProperty("main", main);
    value.addProperty("code", code);
    value.addProperty("binary", true);
    JsonObject body = new JsonObject();
    body.add("value", value);
    return body.toString();
  }

  private static String error(HttpResponse<String> r) {
    return JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString();
  }

  @Test
  void runBeforeInitIsRefused() throws Exception {
    HttpResponse<String> r = post("/run", "{\"value\":{}}");
    assertEquals(502, r.statusCode());
    assertEquals("Cannot invoke an uninitialized action.", error(r));
  }

  @Test
  void initWithoutCodeIsRefused() throws Exception {
    HttpResponse<String> r = post("/init", "{\"value\":{\"main\":\"X\"}}");
    assertEquals(502, r.statusCode());
    assertEquals("Missing main/no code to execute.", error(r));
  }

  @Test
  void initWithAMissingClassReportsItAndPrintsSentinels() throws Exception {
    HttpResponse<String> r = post("/init", init("no.such.Main", probeCode));
    assertEquals(502, r.statusCode());
    assertTrue(error(r).startsWith("An error has occurred (see logs for details): "
        + "java.lang.ClassNotFoundException: no.such.Main"), error(r));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains(ActionRuntime.SENTINEL));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains(ActionRuntime.SENTINEL));
  }

  @Test
  void initOnceThenRunPassesValueAndContext() throws Exception {
    assertEquals(200, post("/init", init(ActionJars.PROBE_MAIN, probeCode)).statusCode());
    HttpResponse<String> again = post("/init", init(ActionJars.PROBE_MAIN, probeCode));
    assertEquals(502, again.statusCode());
    assertEquals("Cannot initialize the action more than once.", error(again));
    HttpResponse<String> r = post("/run", "{\"value\":{\"x\":7},\"activation_id\":\"abc\","
        + "\"deadline\":\"123\"}");
    assertEquals(200, r.statusCode());
    JsonObject result = JsonParser.parseString(r.body()).getAsJsonObject();
    assertEquals(7, result.getAsJsonObject("echo").get("x").getAsInt());
    assertEquals("abc", result.get("activationId").getAsString());
    assertTrue(out.toString(StandardCharsets.UTF_8).endsWith(ActionRuntime.SENTINEL + "\n"));
  }

  @Test
  void exceptionsBecome502WithTheException() throws Exception {
    post("/init", init(ActionJars.PROBE_MAIN, probeCode));
    HttpResponse<String> r = post("/run", "{\"value\":{\"fail\":\"boom\"}}");
    assertEquals(502, r.statusCode());
    assertEquals("An error has occurred while invoking the action (see logs for details): "
        + "java.lang.IllegalStateException: boom", error(r));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("IllegalStateException: boom"));
  }

  @Test
  void applicationErrorsAre200AndArraysPickTheArrayOverload() throws Exception {
    post("/init", init(ActionJars.PROBE_MAIN, probeCode));
    HttpResponse<String> r = post("/run", "{\"value\":{\"error\":\"bad input\"}}");
    assertEquals(200, r.statusCode());
    assertEquals("bad input", error(r));
    HttpResponse<String> array = post("/run", "{\"value\":[1,2]}");
    assertEquals(200, array.statusCode());
    assertEquals("[1,2]", array.body());
  }
}
