package io.marvel.whisk.platform.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.marvel.whisk.testing.ActionJars;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class data archive with real container JVMs: made from a class list and mapped by a
 * container (which {@code -Xshare:on} would refuse to start otherwise); an archive the JVM does
 * not accept, or one whose jar changed under it, still gives containers that run actions.
 */
@Tag("integration")
class ClassDataArchiveIntegrationTest {
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-XX:-UsePerfData");
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  /** The test's class path with Gson's jar replaced by a copy of it this test may touch. */
  private String classpathWithOwnGson() throws IOException {
    Path gson = Path.of(Gson.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    Path copy = Files.copy(gson, Files.createDirectories(dir.resolve("jars"))
        .resolve(gson.getFileName()));
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(e -> e.equals(gson.toString()) ? copy.toString() : e)
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** Written once: its time is part of the archive's key. */
  private Path classList() throws IOException {
    Path list = dir.resolve("classes.lst");
    if (Files.exists(list)) {
      return list;
    }
    return Files.writeString(list, String.join("\n",
        "# a class list as -XX:DumpLoadedClassList writes it",
        "com/google/gson/Gson", "com/google/gson/JsonParser", "com/google/gson/JsonObject",
        "org/apache/hadoop/conf/Configuration", "no/such/Klass",
        "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder"
            + " invokeStatic L7_L", ""));
  }

  private ClassDataArchive archive(String classpath) throws IOException {
    return new ClassDataArchive(classList(), dir.resolve("cache"), JAVA, classpath, OPTIONS);
  }

  private JvmContainer start(String id, ClassDataArchive.Launch launch, String... extra)
      throws Exception {
    List<String> options = new ArrayList<>(OPTIONS);
    options.addAll(launch.jvmOptions());
    options.addAll(List.of(extra));
    return JvmContainer.start(new ContainerSpec(id, null, 256, JAVA, launch.classpath(),
        options, Map.of(), dir.resolve(id), WAIT));
  }

  private static void runNoop(Container container, Path jarDir) throws Exception {
    JsonObject value = new JsonObject();
    value.addProperty("main", ActionJars.NOOP_MAIN);
    value.addProperty("code", Base64.getEncoder().encodeToString(ActionJars.noop(jarDir)));
    value.addProperty("binary", true);
    JsonObject init = new JsonObject();
    init.add("value", value);
    assertEquals(200, container.post("/init", init.toString(), WAIT).status());
    RuntimeReply run = container.post("/run", "{\"value\":{}}", WAIT);
    assertEquals(200, run.status(), run.body());
  }

  @Test
  void containersMapTheArchivedClasses() throws Exception {
    ClassDataArchive archive = archive(classpathWithOwnGson());
    assertNull(archive.prepare());
    ClassDataArchive.Launch launch = archive.launch();
    assertTrue(launch.jvmOptions().stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile="))
        && launch.jvmOptions().contains("-Xshare:auto"), launch.toString());
    // The jars come first, so the directories of the build's classes come after them.
    String first = launch.classpath().split(File.pathSeparator)[0];
    assertTrue(first.endsWith(".jar"), launch.classpath());
    Path classLoads = dir.resolve("class-load.log");
    // -Xshare:on: the container does not start unless its JVM maps the archive.
    try (JvmContainer container = start("shared", launch, "-Xshare:on",
        "-Xlog:class+load=info:file=" + classLoads)) {
      runNoop(container, dir.resolve("action"));
    }
    String loads = Files.readString(classLoads);
    assertTrue(loads.contains("com.google.gson.JsonParser source: shared objects file (top)"),
        "the runtime's Gson came from the archive");
    assertTrue(loads.contains("com.google.gson.JsonObject source: shared objects file (top)"));
    // The lambda classes the JDK makes when the runtime installs its security manager.
    List<String> managerLambdas = loads.lines()
        .filter(l -> l.contains("java.lang.SecurityManager$$Lambda")).toList();
    assertTrue(!managerLambdas.isEmpty() && managerLambdas.stream()
        .allMatch(l -> l.endsWith("source: shared objects file (top)")), managerLambdas::toString);
  }

  @Test
  void anArchiveTheJvmRefusesLeavesContainersWithoutIt() throws Exception {
    String classpath = classpathWithOwnGson();
    assertNull(archive(classpath).prepare());
    // Same key (same jars and JDK), but the file is no archive any more.
    try (Stream<Path> files = Files.walk(dir.resolve("cache"))) {
      Path jsa = files.filter(p -> p.getFileName().toString()
          .equals(ClassDataArchive.ARCHIVE_FILE)).findFirst().orElseThrow();
      jsa.toFile().setWritable(true);
      Files.writeString(jsa, "not an archive");
    }
    ClassDataArchive again = archive(classpath);
    String refusal = again.prepare();
    assertTrue(refusal != null && refusal.startsWith("Containers start without the class data"
        + " archive ") && refusal.contains("the container JVM does not accept it (")
        && refusal.contains("delete "), refusal);
    assertEquals(List.of(), again.launch().jvmOptions());
    try (JvmContainer container = start("refused", again.launch())) {
      runNoop(container, dir.resolve("action"));
    }
  }

  @Test
  void aJarChangedAfterTheArchiveWasMadeStillStartsContainers() throws Exception {
    String classpath = classpathWithOwnGson();
    ClassDataArchive archive = archive(classpath);
    assertNull(archive.prepare());
    // The JVM checks each jar's size and time against the archive's: this one no longer fits.
    Path gson = dir.resolve("jars").resolve(Path.of(Gson.class.getProtectionDomain()
        .getCodeSource().getLocation().getPath()).getFileName());
    Files.setLastModifiedTime(gson, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    try (JvmContainer container = start("changed", archive.launch())) {
      runNoop(container, dir.resolve("action"));
      // The JVM's warning, which the platform logs as the container's.
      assertTrue(container.startupOutput().contains("[warning][cds,dynamic] Unable to use shared"
          + " archive. The top archive failed to load"), container.startupOutput());
    }
  }

  @Test
  void aMissingClassListIsNamed() throws Exception {
    ClassDataArchive archive = new ClassDataArchive(dir.resolve("none.lst"),
        dir.resolve("cache"), JAVA, System.getProperty("java.class.path"), OPTIONS);
    assertEquals("Containers start without a class data archive: the class list "
        + dir.resolve("none.lst") + " does not exist (the distribution has it in"
        + " lib/task-classes.lst)", archive.prepare());
    assertEquals(List.of(), archive.launch().jvmOptions());
  }
}
