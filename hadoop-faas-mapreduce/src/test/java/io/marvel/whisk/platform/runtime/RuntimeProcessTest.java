package io.marvel.whisk.platform.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.whisk.testing.ActionJars;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The runtime as the docker image runs it ({@code RuntimeMain --listen}), started as a process
 * under {@code LANG=C} with no encoding options, talked to as OpenWhisk's invoker does. The
 * behaviours are those OpenWhisk's runtime tests check
 * ({@code tests/src/test/scala/actionContainers/BasicActionRunnerTests.scala} of
 * apache/openwhisk) and its Java runtime shows ({@code Proxy.java},
 * {@code WhiskSecurityManager.java} of apache/openwhisk-runtime-java).
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuntimeProcessTest {
  private static final String TEXT = "gr\u00fc\u00dfe \u20ac \u65e5\u672c";
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();
  private Path dir;
  private Process process;
  private int port;
  private String startupStdout;
  private String startupStderr;

  @BeforeAll
  void startRuntime() throws Exception {
    dir = Files.createTempDirectory(Path.of("/dev/shm"), "marvel-runtime-test");
    process = start(dir.resolve("main"));
    // Everything the process printed until it served its first request.
    startupStdout = Files.readString(dir.resolve("main").resolve("out"));
    startupStderr = Files.readString(dir.resolve("main").resolve("err"));
    JsonObject value = new JsonObject();
    value.addProperty("main", ActionJars.BEHAVIOUR_MAIN);
    value.addProperty("code", Base64.getEncoder().encodeToString(
        ActionJars.behaviour(dir.resolve("jars"))));
    assertEquals(200, post("/init", body(value)).statusCode());
  }

  private Process start(Path work) throws Exception {
    Files.createDirectories(work.resolve("tmp"));
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.security.manager=allow", "-Djava.io.tmpdir=" + work.resolve("tmp")));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        RuntimeMain.class.getName(), "--listen", "127.0.0.1:" + port));
    ProcessBuilder b = new ProcessBuilder(cmd)
        .redirectOutput(work.resolve("out").toFile())
        .redirectError(work.resolve("err").toFile());
    b.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("JAVA_TOOL_OPTIONS"));
    b.environment().put("LANG", "C");
    b.environment().put("__OW_API_HOST", "https://openwhisk.example.com");
    Process p = b.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        // A moment for anything printed right after the bind to reach the files.
        Thread.sleep(300);
        return p;
      } catch (IOException notYet) {
        assertTrue(p.isAlive(), "the runtime died: " + Files.readString(work.resolve("err")));
        Thread.sleep(50);
      }
    }
    p.destroyForcibly();
    throw new IOException("the runtime did not listen on " + port + " within 30 s");
  }

  @AfterAll
  void stopRuntime() throws IOException, InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String body(JsonObject value) {
    JsonObject body = new JsonObject();
    body.add("value", value);
    return body.toString();
  }

  private HttpResponse<String> post(String route, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + route))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private JsonObject run(String key, Object value) throws Exception {
    JsonObject v = new JsonObject();
    if (value instanceof Number n) {
      v.addProperty(key, n);
    } else {
      v.addProperty(key, String.valueOf(value));
    }
    HttpResponse<String> r = post("/run", body(v));
    assertEquals(200, r.statusCode(), r.body());
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  private String output(String stream) throws IOException {
    return Files.readString(dir.resolve("main").resolve(stream), StandardCharsets.UTF_8);
  }

  /**
   * Nothing of the runtime's own. Java 17 prints its deprecation warning when the runtime
   * installs ExitGuard (a security manager), through a stream no option silences; the
   * embedded platform takes it as start-up output, a stock invoker would log it.
   */
  @Test
  void printsNothingOfItsOwnBeforeTheFirstActivation() {
    assertEquals("", startupStdout);
    List<String> lines = startupStderr.lines().toList();
    assertEquals(4, lines.size(), startupStderr);
    assertTrue(lines.stream().allMatch(l -> l.startsWith("WARNING: ")), startupStderr);
    assertTrue(startupStderr.contains("WARNING: System::setSecurityManager has been called by "
        + ExitGuard.class.getName()), startupStderr);
  }

  @Test
  void aSecondInitIsRefusedAndSaysSoOnStderr() throws Exception {
    HttpResponse<String> again = post("/init", body(new JsonObject()));
    assertEquals(502, again.statusCode());
    assertEquals("{\"error\":\"Cannot initialize the action more than once.\"}", again.body());
    assertTrue(output("err").contains("Cannot initialize the action more than once.\n"),
        output("err"));
  }

  @Test
  void textIsUtf8WhateverTheLocale() throws Exception {
    assertEquals(TEXT, run("print", TEXT).get("text").getAsString());
    assertTrue(output("out").contains(TEXT + "\n" + ActionRuntime.SENTINEL + "\n"),
        output("out"));
    assertTrue(output("err").contains(TEXT + "\n" + ActionRuntime.SENTINEL + "\n"),
        output("err"));
  }

  @Test
  void theApiHostIsASystemPropertyLikeTheOtherContextValues() throws Exception {
    JsonObject r = run("x", 1);
    assertEquals("https://openwhisk.example.com", r.get("__OW_API_HOST").getAsString());
  }

  @Test
  void systemExitAndHadoopsTerminateFailOnlyTheActivation() throws Exception {
    JsonObject exit = run("exit", 3);
    assertEquals("An error has occurred while invoking the action (see logs for details):"
        + " java.lang.SecurityException: System.exit(3) called from within an action.",
        exit.get("error").getAsString());
    JsonObject terminate = run("terminate", 4);
    assertEquals("An error has occurred while invoking the action (see logs for details):"
        + " java.lang.SecurityException: System.exit(4) called from within an action.",
        terminate.get("error").getAsString());
    JsonObject swallowed = run("swallowExit", 5);
    assertEquals("An error has occurred while invoking the action (see logs for details):"
        + " java.lang.SecurityException: System.exit(5) called from within an action.",
        swallowed.get("error").getAsString(), "an exit the action catches still fails it");
    assertTrue(process.isAlive());
    assertFalse(run("x", 1).has("error"), "the runtime serves the next activation");
  }

  @Test
  void theActionsJarIsDeletedWhenTheRuntimeIsStopped() throws Exception {
    Path work = dir.resolve("stopped");
    int mainPort = port;
    Process p = start(work);
    try {
      JsonObject value = new JsonObject();
      value.addProperty("main", ActionJars.BEHAVIOUR_MAIN);
      value.addProperty("code", Base64.getEncoder().encodeToString(
          ActionJars.behaviour(dir.resolve("jars2"))));
      assertEquals(200, post("/init", body(value)).statusCode());
      assertEquals(1, jars(work.resolve("tmp")));
      p.destroy();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, jars(work.resolve("tmp")), "docker stop (SIGTERM) leaves no action jar");
    } finally {
      p.destroyForcibly();
      port = mainPort;
    }
  }

  private static long jars(Path tmp) throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.filter(f -> f.getFileName().toString().startsWith("useraction")).count();
    }
  }
}
