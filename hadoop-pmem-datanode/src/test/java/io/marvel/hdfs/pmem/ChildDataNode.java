package io.marvel.hdfs.pmem;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.DFSConfigKeys;

/**
 * A real DataNode process ({@link DataNodeProcess}) started by a test or benchmark, with its
 * configuration written to a file next to its log. Closing it kills it with SIGKILL.
 * Public for the simulated hosts ({@code io.marvel.hdfs.hosts}), which start one per host.
 */
public final class ChildDataNode implements AutoCloseable {
  /** Clock ticks per second of /proc/[pid]/stat CPU times (Linux x86-64). */
  private static final double CLOCK_TICKS = 100.0;

  private final Process process;

  private ChildDataNode(Process process) {
    this.process = process;
  }

  /**
   * Writes the DataNode configuration: {@code base} plus the NameNode address and data dirs.
   *
   * @param base the cluster's configuration (ports, heartbeat, factory...)
   * @param nameNodeUri the NameNode's URI
   * @param dataDirs value of dfs.datanode.data.dir, with storage type tags
   * @param file where to write it
   * @return {@code file}
   */
  static Path writeConf(Configuration base, String nameNodeUri, String dataDirs, Path file)
      throws IOException {
    return writeConf(base, nameNodeUri, dataDirs, "127.0.0.1", file);
  }

  /**
   * Writes the DataNode configuration of a DataNode that registers as {@code hostName}.
   *
   * @param hostName value of dfs.datanode.hostname, e.g. the address of its simulated host
   */
  public static Path writeConf(Configuration base, String nameNodeUri, String dataDirs,
      String hostName, Path file) throws IOException {
    Configuration conf = new Configuration(base);
    conf.set(DFSConfigKeys.DFS_DATANODE_DATA_DIR_KEY, dataDirs);
    conf.set("fs.defaultFS", nameNodeUri);
    conf.set(DFSConfigKeys.DFS_DATANODE_HOST_NAME_KEY, hostName);
    try (OutputStream out = Files.newOutputStream(file)) {
      conf.writeXml(out);
    }
    return file;
  }

  /**
   * Starts a DataNode JVM.
   *
   * @param confFile its configuration
   * @param log where its stdout and stderr go
   * @param heap its -Xmx value, e.g. "512m"
   */
  static ChildDataNode start(Path confFile, Path log, String heap) throws IOException {
    return start(confFile, log, heap, Map.of());
  }

  /**
   * Starts a DataNode JVM with extra environment variables.
   *
   * @param env added to the inherited environment
   */
  static ChildDataNode start(Path confFile, Path log, String heap, Map<String, String> env)
      throws IOException {
    return start(confFile, log, heap, env, null);
  }

  /**
   * Starts a DataNode JVM with extra environment variables and a directory of site files
   * (core-site.xml...) put first on its classpath, as an operator's etc/hadoop.
   *
   * @param siteDir the directory, or null
   */
  static ChildDataNode start(Path confFile, Path log, String heap, Map<String, String> env,
      Path siteDir) throws IOException {
    return start(confFile, log, heap, env, siteDir, DataNodeProcess.class.getName());
  }

  /**
   * Starts a DataNode JVM whose main class is {@code mainClass}, which takes the configuration
   * file as {@link DataNodeProcess} does (a test's DataNode with fault hooks).
   */
  static ChildDataNode start(Path confFile, Path log, String heap, Map<String, String> env,
      Path siteDir, String mainClass) throws IOException {
    return start(confFile, log, heap, siteDir, mainClass, List.of(), env);
  }

  /**
   * Starts a DataNode JVM whose main class is {@code mainClass}, with JVM options.
   *
   * @param jvmOptions e.g. system properties and logging options
   */
  static ChildDataNode start(Path confFile, Path log, String heap, Path siteDir,
      String mainClass, List<String> jvmOptions, Map<String, String> env) throws IOException {
    return launch(javaCommand(heap, jvmOptions, siteDir, mainClass,
        List.of(confFile.toString())), log, env);
  }

  /**
   * Starts a DataNode JVM through a command prefix, e.g. {@code ip netns exec <namespace>} to
   * start it in a simulated host's network namespace.
   *
   * @param commandPrefix put before the java command
   * @param jvmOptions JVM options, e.g. its java.io.tmpdir
   */
  public static ChildDataNode start(List<String> commandPrefix, List<String> jvmOptions,
      Path confFile, Path log, String heap) throws IOException {
    List<String> command = new ArrayList<>(commandPrefix);
    command.addAll(javaCommand(heap, jvmOptions, null, DataNodeProcess.class.getName(),
        List.of(confFile.toString())));
    return launch(command, log, Map.of());
  }

  /**
   * The command of a child JVM running {@code mainClass} on this JVM's class path, with the
   * options child JVMs of the tests need (Hadoop's opens, diagnosis options, log4j).
   *
   * @param heap its -Xmx value, e.g. "512m"
   * @param jvmOptions more JVM options
   * @param siteDir a directory put first on its class path, or null
   * @param args the arguments of {@code mainClass}
   */
  public static List<String> javaCommand(String heap, List<String> jvmOptions, Path siteDir,
      String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    // This JVM's temporary dir (the build's, under surefire), not /tmp: a child killed with
    // SIGKILL leaves its Jetty work dir there. An option in jvmOptions overrides it.
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.addAll(jvmOptions);
    for (String option : System.getProperty("marvel.child.opens", "").split("\\s+")) {
      if (!option.isBlank()) {
        command.add(option);
      }
    }
    // Extra options for diagnosis, e.g. -Dmarvel.child.jvm-options=-XX:StartFlightRecording=...
    for (String option : System.getProperty("marvel.child.jvm-options", "").split("\\s+")) {
      if (!option.isBlank()) {
        command.add(option);
      }
    }
    command.add("-Dlog4j.configuration=log4j.properties");
    command.add("-cp");
    command.add((siteDir == null ? "" : siteDir + java.io.File.pathSeparator)
        + System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  private static ChildDataNode launch(List<String> command, Path log, Map<String, String> env)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return new ChildDataNode(builder.start());
  }

  /** @return the process id of the DataNode JVM */
  public long pid() {
    return process.pid();
  }

  /** @return the exit code, waiting up to {@code seconds} for the process to end, or null */
  Integer awaitExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : null;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** @return user + system CPU seconds the process has used so far */
  double cpuSeconds() throws IOException {
    return cpuSeconds(Paths.get("/proc", Long.toString(process.pid()), "stat"));
  }

  /**
   * @param namePrefix the start of the thread names counted (the kernel keeps 15 characters)
   * @return CPU seconds of the DataNode's live threads so named
   */
  double threadCpuSeconds(String namePrefix) throws IOException {
    double total = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(
        Paths.get("/proc", Long.toString(process.pid()), "task"))) {
      for (Path task : tasks) {
        try {
          if (Files.readString(task.resolve("comm"), StandardCharsets.US_ASCII)
              .startsWith(namePrefix)) {
            total += cpuSeconds(task.resolve("stat"));
          }
        } catch (NoSuchFileException e) {
          continue; // the thread ended meanwhile
        }
      }
    }
    return total;
  }

  private static double cpuSeconds(Path statFile) throws IOException {
    String stat = Files.readString(statFile, StandardCharsets.US_ASCII);
    // Fields after the parenthesized command name: utime and stime are the 12th and 13th.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
  }

  /**
   * Stops the DataNode with SIGTERM, as an operator's stop script does, waiting up to 30 s;
   * {@link #close()} then kills it if it is still running.
   */
  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Kills the DataNode with SIGKILL and waits for it to end. */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
