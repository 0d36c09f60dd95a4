package io.marvel.pmem;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a class of the test classpath in a child JVM, for tests that need a real process to
 * crash or a fresh library load. Shared with other modules through the test jar.
 */
public final class JavaProcess {
  private JavaProcess() {
  }

  /**
   * @param jvmOptions options placed before the class name, e.g. {@code -Dx=y}
   * @param mainClass the class whose {@code main} runs
   * @param args its arguments
   * @return a builder with stderr kept separate and the test's classpath set
   */
  public static ProcessBuilder builder(List<String> jvmOptions, Class<?> mainClass,
      String... args) {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(jvmOptions);
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /** Runs to completion and returns stdout + stderr, failing if it takes over a minute. */
  public static Result run(List<String> jvmOptions, Class<?> mainClass, String... args)
      throws IOException, InterruptedException {
    Process process = builder(jvmOptions, mainClass, args).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(mainClass.getName() + " did not finish within a minute");
    }
    return new Result(process.exitValue(), new String(output,
        java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * @param exitCode the child's exit code
   * @param output its stdout and stderr, interleaved
   */
  public record Result(int exitCode, String output) {
  }
}
