package io.marvel.whisk.platform.container;

import io.marvel.whisk.platform.runtime.ActionRuntime;
import io.marvel.whisk.platform.runtime.RuntimeMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The stdout and stderr of one container, cut into per-activation logs at the sentinel lines the
 * runtime prints on both streams after every activation. Lines are formatted as OpenWhisk stores
 * them: {@code <timestamp padded to 30> <stdout|stderr>: <text>}. What the process prints before
 * the runtime announces its port (on stderr) is start-up output, kept for the diagnosis of a
 * container that does not start and never part of an activation's logs: on Java 17 the JVM
 * itself prints a deprecation warning there when the runtime installs its
 * {@code ExitGuard}. Thread-safe: one pump thread per
 * stream appends, the invoker takes.
 */
final class ContainerLogs {
  /**
   * Most bytes buffered between two takes; above OpenWhisk's largest log limit, so the limit is
   * still applied by {@link LogLimit}, but a runaway action cannot exhaust the invoker's heap.
   */
  static final long MAX_BUFFERED_BYTES = 16L * 1024 * 1024;

  private final List<String> lines = new ArrayList<>();
  private long bufferedBytes;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final StringBuilder startupErrors = new StringBuilder();
  private int stdoutSentinels;
  private int stderrSentinels;
  private int closedStreams;

  /** @return completes with the runtime's port once it is announced on stderr */
  CompletableFuture<Integer> port() {
    return port;
  }

  /** Reads one stream to its end; run on a dedicated thread. */
  void pump(InputStream in, String stream) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        onLine(stream, line);
      }
    } catch (IOException e) {
      // The process was destroyed while we read; what was read is kept, the stream is over.
    } finally {
      onClosed();
    }
  }

  private synchronized void onLine(String stream, String text) {
    if (!port.isDone()) {
      if (stream.equals("stderr") && text.startsWith(RuntimeMain.PORT_PREFIX)) {
        port.complete(Integer.parseInt(text.substring(RuntimeMain.PORT_PREFIX.length()).trim()));
      } else if (startupErrors.length() < 4096) {
        startupErrors.append(text).append('\n');
      }
      return;
    }
    if (text.equals(ActionRuntime.SENTINEL)) {
      if (stream.equals("stdout")) {
        stdoutSentinels++;
      } else {
        stderrSentinels++;
      }
      notifyAll();
      return;
    }
    if (bufferedBytes <= MAX_BUFFERED_BYTES) {
      String line = String.format("%-30s %s: %s", Instant.now(), stream, text);
      bufferedBytes += line.length();
      lines.add(line);
    }
  }

  private synchronized void onClosed() {
    closedStreams++;
    if (closedStreams == 2) {
      port.completeExceptionally(new IOException("the container exited before it started: "
          + startupErrors.toString().trim()));
    }
    notifyAll();
  }

  /**
   * Takes the lines of the activation that just ended, waiting until both streams have shown
   * their sentinel, the streams closed, or {@code wait} passed.
   *
   * @param wait the longest time to wait for the sentinels
   * @param limitBytes the activation's log limit; later lines are dropped with a notice
   * @return the lines, oldest first
   * @throws InterruptedException if interrupted while waiting
   */
  synchronized List<String> take(Duration wait, long limitBytes) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while ((stdoutSentinels == 0 || stderrSentinels == 0) && closedStreams < 2) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    stdoutSentinels = Math.max(0, stdoutSentinels - 1);
    stderrSentinels = Math.max(0, stderrSentinels - 1);
    List<String> taken = LogLimit.apply(lines, limitBytes);
    lines.clear();
    bufferedBytes = 0;
    return taken;
  }

  /** @return what the container printed before it announced its port (for diagnostics) */
  synchronized String startupOutput() {
    return startupErrors.toString().trim();
  }
}
