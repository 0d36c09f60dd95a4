package io.marvel.whisk.platform.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.marvel.whisk.testing.ActionJars;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a container's runtime does before it can answer {@code /init}, and for {@code /init} of an
 * action whose class is in its jar only, in a JVM started as the embedded invoker starts one:
 * it opens no jar of its class path beyond those holding its own classes. A container's class
 * path holds some 150 to 200 jars (Hadoop's), and a lookup that walks it opens every one of them
 * (about 120 ms of CPU): the runtime must not pay that before it announces its port (the JDK's
 * HTTP server did, for the logger it asks for), nor to find the action's class, which the
 * {@link ClassPathIndex} of its class path says is not there; an index that no longer fits the
 * class path, or none, leaves the plain lookup.
 */
@Tag("integration")
class RuntimeStartTest {
  @TempDir
  Path dir;

  @Test
  void announcesItsPortAndServesWithoutOpeningTheOtherJarsOfItsClassPath() throws Exception {
    List<Path> others = otherJars();
    String cp = classpath(others);
    Path index = dir.resolve("classpath.idx");
    ClassPathIndex.write(cp, index);
    Process p = start(cp, index);
    try {
      int port = port(p);
      assertNoneOpen(others, p, "before /init");
      initAndRun(port);
      // The action's class is in its jar only: with the index, finding it opens no other jar.
      assertNoneOpen(others, p, "after /init and /run");
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anIndexWrittenForJarsThatChangedSinceIsNotUsed() throws Exception {
    List<Path> others = otherJars();
    String cp = classpath(others);
    Path index = dir.resolve("classpath.idx");
    ClassPathIndex.write(cp, index);
    // The jar now holds the action's package, which the index says it does not.
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(others.get(1)))) {
      out.putNextEntry(new JarEntry("marvel/test/Readme.txt"));
      out.write("a package the index does not know".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    Process p = start(cp, index);
    try {
      initAndRun(port(p));
      // The plain parent-first lookup: it walked the class path before the action's jar.
      List<String> open = openFiles(p.pid());
      assertTrue(open.contains(others.get(2).toString()), "the class path was not walked: "
          + open);
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void servesWithAnIndexFileThatDoesNotExist() throws Exception {
    List<Path> others = otherJars();
    Process p = start(classpath(others), dir.resolve("no-such.idx"));
    try {
      initAndRun(port(p));
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private List<Path> otherJars() throws IOException {
    List<Path> others = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      others.add(jar(dir.resolve("other-" + i + ".jar")));
    }
    return others;
  }

  /** @return the runtime's classes, Gson, then the other jars */
  private static String classpath(List<Path> others) throws URISyntaxException {
    List<String> cp = new ArrayList<>(List.of(codeSource(RuntimeMain.class),
        codeSource(JsonObject.class)));
    others.forEach(p -> cp.add(p.toString()));
    return String.join(File.pathSeparator, cp);
  }

  /** Starts a runtime JVM as the embedded invoker does, with the index file in its env. */
  private Process start(String cp, Path index) throws IOException {
    Files.createDirectories(dir.resolve("tmp"));
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-Djava.security.manager=allow",
        "-Djava.io.tmpdir=" + dir.resolve("tmp"), "-cp", cp, RuntimeMain.class.getName())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put(ClassPathIndex.ENV, index.toString());
    return builder.start();
  }

  private void initAndRun(int port) throws IOException, InterruptedException {
    JsonObject value = new JsonObject();
    value.addProperty("main", ActionJars.NOOP_MAIN);
    value.addProperty("code", Base64.getEncoder().encodeToString(
        ActionJars.noop(dir.resolve("jars"))));
    JsonObject init = new JsonObject();
    init.add("value", value);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> initReply = post(http, port, "/init", init.toString());
    assertEquals(200, initReply.statusCode(), initReply.body());
    HttpResponse<String> run = post(http, port, "/run", "{\"value\":{}}");
    assertEquals(200, run.statusCode(), run.body());
  }

  private static void assertNoneOpen(List<Path> jars, Process p, String when)
      throws IOException {
    List<String> open = openFiles(p.pid());
    for (Path jar : jars) {
      assertTrue(!open.contains(jar.toString()), jar + " is open " + when + ": " + open);
    }
  }

  private static String codeSource(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private static Path jar(Path file) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
      out.putNextEntry(new JarEntry("other/Readme.txt"));
      out.write("not a class".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return file;
  }

  private static int port(Process p) throws IOException {
    BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(),
        StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = err.readLine(); line != null; line = err.readLine()) {
      if (line.startsWith(RuntimeMain.PORT_PREFIX)) {
        return Integer.parseInt(line.substring(RuntimeMain.PORT_PREFIX.length()).trim());
      }
      seen.append(line).append('\n');
    }
    throw new IOException("the runtime ended without announcing its port: " + seen);
  }

  /** @return the files the process has open, from Linux's /proc */
  private static List<String> openFiles(long pid) throws IOException {
    List<String> files = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          files.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException e) {
          // Closed since the listing.
        }
      }
    }
    return files;
  }

  private static HttpResponse<String> post(HttpClient http, int port, String route, String body)
      throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + route))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
