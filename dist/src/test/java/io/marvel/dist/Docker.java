package io.marvel.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The docker command line, as the tests use it: one call, its exit code and both streams. */
final class Docker {
  private Docker() {
  }

  /**
   * @return why Docker cannot be used here (no client, or a daemon that does not answer), or
   *     empty if it can
   */
  static Optional<String> unusable() {
    try {
      Result info = run(30, "info", "--format", "{{.ServerVersion}}");
      if (info.exitCode() != 0) {
        return Optional.of("'docker info' failed (" + info.err().strip() + "): start the daemon,"
            + " e.g. 'dockerd --bridge=none --iptables=false &'");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("no docker command (" + e.getMessage() + "): apt-get install docker.io");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while asking docker");
    }
  }

  /**
   * Runs {@code docker ARGS}.
   *
   * @param timeoutSeconds how long it may take; then it is killed and an IOException thrown
   * @param args the arguments after {@code docker}
   * @return its exit code, stdout and stderr
   * @throws IOException if docker cannot be started or did not finish in time
   * @throws InterruptedException if interrupted while waiting
   */
  static Result run(int timeoutSeconds, String... args) throws IOException, InterruptedException {
    return run(timeoutSeconds, List.of(args));
  }

  /** As {@link #run(int, String...)}. */
  static Result run(int timeoutSeconds, List<String> args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(args);
    Path out = Files.createTempFile("marvel-docker-", ".out");
    Path err = Files.createTempFile("marvel-docker-", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
          .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
              Path.of("/dev/null").toFile())).start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IOException(String.join(" ", command) + " did not finish within "
            + timeoutSeconds + " s; stderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Runs {@code docker ARGS} and requires success.
   *
   * @return its stdout
   * @throws IOException naming the command and its stderr if it failed
   */
  static String ok(int timeoutSeconds, List<String> args)
      throws IOException, InterruptedException {
    Result result = run(timeoutSeconds, args);
    if (result.exitCode() != 0) {
      throw new IOException("docker " + String.join(" ", args) + " failed with exit code "
          + result.exitCode() + ":\n" + result.err() + result.out());
    }
    return result.out();
  }

  /** As {@link #ok(int, List)}. */
  static String ok(int timeoutSeconds, String... args) throws IOException, InterruptedException {
    return ok(timeoutSeconds, List.of(args));
  }

  /** Removes containers or images by name, ignoring those that are gone; never throws. */
  static void removeQuietly(String what, List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    List<String> args = new ArrayList<>(List.of(what, "--force"));
    args.addAll(names);
    try {
      Result result = run(120, args);
      if (result.exitCode() != 0 && !result.err().contains("No such")) {
        System.err.println("could not remove " + names + ": " + result.err());
      }
    } catch (IOException | InterruptedException e) {
      System.err.println("could not remove " + names + ": " + e);
    }
  }

  /**
   * @param exitCode docker's exit code
   * @param out its stdout
   * @param err its stderr
   */
  record Result(int exitCode, String out, String err) {
  }
}
