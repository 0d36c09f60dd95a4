package io.marvel.whisk.testing;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds action jars at test time: compiles Java source with the JDK compiler against Gson and
 * packs the classes into a jar, so no binary is committed and the action class is not on the
 * container's class path (it arrives through {@code /init}, as on OpenWhisk).
 */
public final class ActionJars {
  /** Main class of {@link #probe(Path)}. */
  public static final String PROBE_MAIN = "marvel.test.ProbeAction";

  /**
   * An action steered by its parameters: {@code touch} creates that file first (a test sees the
   * action running), {@code sleepMs} sleeps, {@code exit} calls
   * {@code System.exit}, {@code fail} throws, {@code error} returns an application error,
   * {@code log} prints that many lines to stdout and stderr, {@code property} adds that system
   * property's value, {@code env} (names separated by commas) an object of those environment
   * variables' values, {@code list} the sorted names in that directory (an empty array if it
   * does not exist); it returns {@code {"echo": params, "activationId": ..., "pid": ...}}, or
   * the array it was given.
   */
  private static final String PROBE_SOURCE = """
      package marvel.test;

      import com.google.gson.JsonArray;
      import com.google.gson.JsonObject;

      public class ProbeAction {
        public static JsonObject main(JsonObject args) throws Exception {
          if (args.has("touch")) {
            java.nio.file.Files.createFile(java.nio.file.Path.of(args.get("touch").getAsString()));
          }
          if (args.has("sleepMs")) {
            Thread.sleep(args.get("sleepMs").getAsLong());
          }
          if (args.has("log")) {
            for (int i = 0; i < args.get("log").getAsInt(); i++) {
              System.out.println("out line " + i);
              System.err.println("err line " + i);
            }
          }
          if (args.has("exit")) {
            System.exit(args.get("exit").getAsInt());
          }
          if (args.has("fail")) {
            throw new IllegalStateException(args.get("fail").getAsString());
          }
          JsonObject result = new JsonObject();
          if (args.has("error")) {
            result.addProperty("error", args.get("error").getAsString());
            return result;
          }
          if (args.has("property")) {
            String name = args.get("property").getAsString();
            result.addProperty("property", System.getProperty(name));
          }
          if (args.has("env")) {
            JsonObject env = new JsonObject();
            for (String name : args.get("env").getAsString().split(",")) {
              env.addProperty(name, System.getenv(name));
            }
            result.add("env", env);
          }
          if (args.has("list")) {
            JsonArray names = new JsonArray();
            java.io.File[] files = new java.io.File(args.get("list").getAsString()).listFiles();
            if (files != null) {
              java.util.Arrays.stream(files).map(java.io.File::getName).sorted()
                  .forEach(names::add);
            }
            result.add("list", names);
          }
          result.add("echo", args);
          result.addProperty("activationId", System.getProperty("__OW_ACTIVATION_ID"));
          result.addProperty("pid", ProcessHandle.current().pid());
          return result;
        }

        public static JsonArray main(JsonArray args) {
          return args;
        }
      }
      """;

  /** Main class of {@link #noop(Path)}. */
  public static final String NOOP_MAIN = "marvel.test.NoopAction";

  private static final String NOOP_SOURCE = """
      package marvel.test;

      import com.google.gson.JsonObject;

      public class NoopAction {
        public static JsonObject main(JsonObject args) {
          return new JsonObject();
        }
      }
      """;

  /** Main class of {@link #behaviour(Path)}. */
  public static final String BEHAVIOUR_MAIN = "marvel.test.BehaviourAction";

  /**
   * An action that shows how the runtime treats it: {@code print} writes that text to stdout and
   * stderr, {@code logKb} prints that many KB of lines to stdout, {@code exit} calls
   * {@code System.exit}, {@code swallowExit} calls it and catches the refusal,
   * {@code terminate} calls Hadoop's {@code ExitUtil.terminate} (through reflection: Hadoop is
   * on the container's class path, not on the compiler's), {@code allocateMb} allocates an array
   * of that size. It returns the text, the heap's maximum ({@code maxHeap}), its pid and the
   * system properties {@code __OW_API_HOST}, {@code __OW_ACTIVATION_ID}, {@code file.encoding}
   * and {@code sun.jnu.encoding}.
   */
  private static final String BEHAVIOUR_SOURCE = """
      package marvel.test;

      import com.google.gson.JsonObject;

      public class BehaviourAction {
        public static JsonObject main(JsonObject args) throws Exception {
          JsonObject r = new JsonObject();
          if (args.has("print")) {
            System.out.println(args.get("print").getAsString());
            System.err.println(args.get("print").getAsString());
            r.addProperty("text", args.get("print").getAsString());
          }
          if (args.has("logKb")) {
            String line = "x".repeat(1023);
            for (int i = 0; i < args.get("logKb").getAsInt(); i++) {
              System.out.println(line);
            }
          }
          if (args.has("exit")) {
            System.exit(args.get("exit").getAsInt());
          }
          if (args.has("swallowExit")) {
            try {
              System.exit(args.get("swallowExit").getAsInt());
            } catch (SecurityException e) {
              r.addProperty("caught", e.toString());
            }
          }
          if (args.has("terminate")) {
            Class.forName("org.apache.hadoop.util.ExitUtil").getMethod("terminate", int.class)
                .invoke(null, args.get("terminate").getAsInt());
          }
          if (args.has("allocateMb")) {
            byte[] block = new byte[args.get("allocateMb").getAsInt() << 20];
            r.addProperty("allocated", block.length);
          }
          r.addProperty("maxHeap", Runtime.getRuntime().maxMemory());
          r.addProperty("pid", ProcessHandle.current().pid());
          for (String p : new String[] {"__OW_API_HOST", "__OW_ACTIVATION_ID", "file.encoding",
              "sun.jnu.encoding"}) {
            r.addProperty(p, System.getProperty(p));
          }
          return r;
        }
      }
      """;

  private ActionJars() {
  }

  /**
   * @param workDir a scratch directory
   * @return the jar of {@value #NOOP_MAIN}, which returns an empty object
   * @throws IOException if compiling or packing fails
   */
  public static byte[] noop(Path workDir) throws IOException {
    return compile(workDir, NOOP_MAIN, NOOP_SOURCE);
  }

  /**
   * @param workDir a scratch directory
   * @return the jar of {@value #BEHAVIOUR_MAIN}
   * @throws IOException if compiling or packing fails
   */
  public static byte[] behaviour(Path workDir) throws IOException {
    return compile(workDir, BEHAVIOUR_MAIN, BEHAVIOUR_SOURCE);
  }

  /**
   * @param workDir a scratch directory
   * @return the jar of {@value #PROBE_MAIN}
   * @throws IOException if compiling or packing fails
   */
  public static byte[] probe(Path workDir) throws IOException {
    return compile(workDir, PROBE_MAIN, PROBE_SOURCE);
  }

  /**
   * Compiles one class and packs it (with its nested classes) into a jar.
   *
   * @param workDir a scratch directory
   * @param className the fully qualified class name
   * @param source its source
   * @return the jar bytes
   * @throws IOException if compiling or packing fails
   */
  public static byte[] compile(Path workDir, String className, String source)
      throws IOException {
    Path src = workDir.resolve("src").resolve(className.replace('.', '/') + ".java");
    Path classes = workDir.resolve("classes-" + className);
    Files.createDirectories(src.getParent());
    Files.createDirectories(classes);
    Files.writeString(src, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    boolean ok = javac.getTask(errors, null, null, List.of("--release", "17", "-cp",
        gsonJar().toString(), "-d", classes.toString()), null,
        javac.getStandardFileManager(null, null, null).getJavaFileObjects(src.toFile())).call();
    if (!ok) {
      throw new IOException("cannot compile " + className + ": " + errors);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes); Stream<Path> files =
        Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        jar.write(Files.readAllBytes(f));
        jar.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static Path gsonJar() throws IOException {
    try {
      return Path.of(JsonObject.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate the Gson jar", e);
    }
  }
}
