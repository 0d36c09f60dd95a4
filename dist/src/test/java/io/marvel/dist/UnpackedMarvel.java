package io.marvel.dist;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built tarball unpacked into a directory, configured for a test: every server port is a
 * free one chosen now, the state store's PMEM lives in a private /dev/shm directory (the
 * DataNode's PMEM volume stays where the tarball puts it, in the installation's data dir).
 * Runs the distribution's own scripts as an operator would.
 */
final class UnpackedMarvel implements AutoCloseable {
  private final Path home;
  private final Path pmemDir;
  private final Map<String, String> env = new HashMap<>();

  private UnpackedMarvel(Path home, Path pmemDir) {
    this.home = home;
    this.pmemDir = pmemDir;
  }

  static UnpackedMarvel unpack(Path into) throws IOException, InterruptedException {
    Path tarball = Paths.get(System.getProperty("marvel.tarball"));
    if (!Files.isRegularFile(tarball)) {
      throw new IOException(tarball + " is missing: run 'mvn package' before this test");
    }
    Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", into.toString())
        .inheritIO().start();
    if (tar.waitFor() != 0) {
      throw new IOException("tar could not unpack " + tarball);
    }
    Path home;
    try (var entries = Files.list(into)) {
      home = entries.filter(p -> p.getFileName().toString().startsWith("marvel-")).findFirst()
          .orElseThrow(() -> new IOException("no marvel-* directory in " + tarball));
    }
    Path pmemDir = Files.createTempDirectory(Paths.get("/dev/shm"), "marvel-dist-test-");
    UnpackedMarvel marvel = new UnpackedMarvel(home, pmemDir);
    marvel.configure();
    return marvel;
  }

  private void configure() throws IOException {
    Path conf = home.resolve("etc/hadoop");
    for (String file : List.of("core-site.xml", "hdfs-site.xml", "mapred-site.xml")) {
      String text = Files.readString(conf.resolve(file));
      for (String port : List.of("9000", "9870", "9868", "9866", "9864", "9867")) {
        text = text.replace("127.0.0.1:" + port + "<", "127.0.0.1:" + freePort() + "<");
      }
      text = text.replace("/dev/shm/marvel-${user.name}", pmemDir.toString());
      Files.writeString(conf.resolve(file), text);
    }
    env.put("MARVEL_WHISK_PORT", Integer.toString(freePort()));
    env.put("MARVEL_STOP_TIMEOUT", "20");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  Path home() {
    return home;
  }

  Path pmemDir() {
    return pmemDir;
  }

  /** Empties the private /dev/shm directory, as a reboot would. */
  void clearPmemDir() throws IOException {
    try (var walk = Files.walk(pmemDir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!p.equals(pmemDir)) {
          Files.delete(p);
        }
      }
    }
  }

  /** Replaces text in a file of the installation. */
  void edit(String relativePath, String from, String to) throws IOException {
    Path file = home.resolve(relativePath);
    String text = Files.readString(file);
    if (!text.contains(from)) {
      throw new IllegalArgumentException(relativePath + " does not contain " + from);
    }
    Files.writeString(file, text.replace(from, to));
  }

  /** Runs a script of the installation, e.g. {@code run(60, "bin/hadoop", "version")}. */
  Result run(int timeoutSeconds, String script, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve(script).toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .directory(home.toFile());
    builder.environment().putAll(env);
    builder.environment().put("HADOOP_ROOT_LOGGER", "WARN,console");
    Path log = Files.createTempFile(home, "run-", ".log");
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IOException(script + " " + String.join(" ", args) + " did not finish within "
          + timeoutSeconds + " s; output:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** @return the processes whose command line mentions this installation */
  List<ProcessHandle> processes() {
    String marker = home.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  @Override
  public void close() throws IOException {
    try {
      run(120, "sbin/stop-marvel.sh");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle p : processes()) {
      p.destroyForcibly();
    }
    try (var walk = Files.walk(pmemDir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * @param exitCode the script's exit code
   * @param output its stdout and stderr
   */
  record Result(int exitCode, String output) {
  }
}
