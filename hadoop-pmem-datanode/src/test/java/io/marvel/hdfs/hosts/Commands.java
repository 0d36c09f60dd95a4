package io.marvel.hdfs.hosts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the short system commands ({@code ip}) that build and remove the simulated hosts. */
final class Commands {
  private static final long TIMEOUT_SECONDS = 30;

  private Commands() {
  }

  /**
   * Runs {@code command} and returns its output.
   *
   * @throws IOException naming the command and its output when it fails or times out
   */
  static String run(String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (InputStream out = process.getInputStream()) {
      String output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("'" + String.join(" ", command) + "' did not end within "
            + TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IOException("'" + String.join(" ", command) + "' failed (exit "
            + process.exitValue() + "): " + output.strip());
      }
      return output;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running '" + String.join(" ", command) + "'", e);
    }
  }

  /** @return the lines of {@code command}'s output */
  static List<String> lines(String... command) throws IOException {
    return run(command).lines().filter(line -> !line.isBlank()).toList();
  }

  /** Sleeps; an interrupt ends the wait with an IOException (the interrupt flag kept). */
  static void pause(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
