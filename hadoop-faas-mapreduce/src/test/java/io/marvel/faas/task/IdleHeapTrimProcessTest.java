package io.marvel.faas.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A JVM started with a task container's collector options (the embedded platform's, checked by
 * {@code PlatformDefaultsTest}, which the task image's entry point repeats) gives back the heap a
 * 100 MB sort buffer made it commit once the container is idle; without
 * {@code -XX:-ShrinkHeapInSteps} one collection would not.
 */
@Tag("integration")
class IdleHeapTrimProcessTest {
  private static final long MIB = 1024 * 1024;
  private static final List<String> TASK_GC = List.of("-XX:+UseSerialGC", "-XX:-ShrinkHeapInSteps");

  @Test
  void anIdleContainerGivesItsSortBuffersHeapBack() throws Exception {
    // Up to 20 s for the trim, as a loaded machine may run the child's trim late.
    long[] committed = run(TASK_GC, 20_000);
    assertTrue(committed[0] > 100 * MIB, "the buffer did not grow the heap: " + committed[0]);
    assertTrue(committed[1] < committed[0] - 60 * MIB,
        "committed heap " + committed[0] / MIB + " MiB before the trim, "
            + committed[1] / MIB + " MiB after");
  }

  @Test
  void withoutTheFlagOneCollectionKeepsTheHeap() throws Exception {
    long[] committed = run(List.of("-XX:+UseSerialGC"), IdleHeapTrim.IDLE_MS + 1500);
    assertTrue(committed[1] > committed[0] - 60 * MIB, "one collection shrank the heap from "
        + committed[0] / MIB + " to " + committed[1] / MIB + " MiB without the flag");
  }

  /**
   * @param waitMs how long the child waits at most for its heap to shrink, once idle
   * @return the child's committed heap in bytes while its buffer was live, and after the trim
   */
  private static long[] run(List<String> options, long waitMs)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A 512 MB action, sized as the platform sizes it (JvmContainer).
    cmd.add("-XX:MaxRAM=512m");
    cmd.add("-XX:MaxRAMPercentage=70");
    cmd.addAll(options);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Child.class.getName());
    cmd.add(Long.toString(waitMs));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not end");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.exitValue(), out);
    String[] lines = out.split("\n");
    String[] last = lines[lines.length - 1].trim().split(" ");
    return new long[] {Long.parseLong(last[0]), Long.parseLong(last[1])};
  }

  /** Runs one activation that fills a sort buffer, then waits idle for the trim. */
  public static final class Child {
    private static volatile byte[] buffer;

    public static void main(String[] args) throws InterruptedException {
      IdleHeapTrim trim = IdleHeapTrim.ofThisJvm();
      trim.activationStarted();
      buffer = new byte[100 * (int) MIB];
      buffer[buffer.length - 1] = 1;
      long before = committedHeap();
      buffer = null;
      trim.activationEnded();
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[0]));
      while (committedHeap() > before - 60 * MIB && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      System.out.println(before + " " + committedHeap());
    }

    private static long committedHeap() {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }
  }
}
