package io.marvel.whisk.platform.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.ref.Reference;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM started with the platform's default container options, in a 512 MB action as the
 * platform sizes it, keeps the two parts of a task's resident set small that issue 17 item 2
 * measured (module README, "Idle containers give a task's heap back"): its young generation
 * stays within 8 MB, and C heap it freed goes back to the system within a few seconds. The
 * controls show that without the option each does not happen.
 */
@Tag("integration")
class ContainerMemoryProcessTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void theYoungGenerationStaysSmall(@TempDir Path dir) throws Exception {
    List<String> options = PlatformSettings.builder(dir).build().containerJvmOptions();
    long young = Long.parseLong(run(options, YoungGeneration.class));
    assertTrue(young <= 8 * MIB, "young generation at most " + young / MIB + " MiB");
    long without = Long.parseLong(run(without(options, "-XX:MaxNewSize="), YoungGeneration.class));
    assertTrue(without > 32 * MIB, "without the option: " + without / MIB + " MiB");
  }

  @Test
  void freedNativeMemoryIsGivenBack(@TempDir Path dir) throws Exception {
    List<String> options = PlatformSettings.builder(dir).build().containerJvmOptions();
    long given = Long.parseLong(run(options, FreedNativeMemory.class));
    assertTrue(given > 15 * MIB, "gave back " + given / MIB + " MiB of 25 MiB freed");
    long without = Long.parseLong(run(without(options, "-XX:TrimNativeHeapInterval="),
        FreedNativeMemory.class));
    assertTrue(without < 5 * MIB, "without the option gave back " + without / MIB + " MiB");
  }

  private static List<String> without(List<String> options, String prefix) {
    List<String> left = new ArrayList<>(options);
    assertTrue(left.removeIf(o -> o.startsWith(prefix)), prefix + " not in " + options);
    return left;
  }

  /** @return the last line the child printed */
  private static String run(List<String> options, Class<?> main)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A 512 MB action, sized as the platform sizes it (JvmContainer).
    cmd.add("-XX:MaxRAM=512m");
    cmd.add("-XX:MaxRAMPercentage=70");
    cmd.addAll(options);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not end");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.exitValue(), out);
    String[] lines = out.split("\n");
    return lines[lines.length - 1].trim();
  }

  /** Prints the most its young generation may grow to, bytes. */
  public static final class YoungGeneration {
    public static void main(String[] args) {
      long max = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getName().equals("Eden Space")) {
          max += pool.getUsage().getMax();
        } else if (pool.getName().equals("Survivor Space")) {
          max += 2 * pool.getUsage().getMax();
        }
      }
      System.out.println(max);
    }
  }

  /**
   * Fills 25 MiB of C heap in small blocks (direct buffers), keeps one block allocated after
   * them so that glibc cannot give the rest back by lowering its heap's top, frees the others
   * (a collection runs their cleaners) and prints how much of its resident set went back to
   * the system in the 2.5 s that follow, bytes.
   */
  public static final class FreedNativeMemory {
    private static final int BLOCK = 16 * 1024;

    public static void main(String[] args) throws Exception {
      byte[] ones = new byte[BLOCK];
      Arrays.fill(ones, (byte) 1);
      List<ByteBuffer> blocks = new ArrayList<>();
      for (int i = 0; i < 1600; i++) {
        blocks.add(ByteBuffer.allocateDirect(BLOCK).put(ones));
      }
      ByteBuffer pin = ByteBuffer.allocateDirect(BLOCK).put(ones);
      blocks = null;
      BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
          .stream().filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (direct.getMemoryUsed() > 2 * BLOCK) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the blocks were not freed: " + direct.getMemoryUsed());
        }
        System.gc();
        Thread.sleep(100);
      }
      long freed = rssAnonBytes();
      Thread.sleep(2500);
      System.out.println(freed - rssAnonBytes());
      Reference.reachabilityFence(pin);
    }

    private static long rssAnonBytes() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("RssAnon:")) {
          return Long.parseLong(line.split("\\s+")[1]) * 1024;
        }
      }
      throw new IllegalStateException("no RssAnon in /proc/self/status");
    }
  }
}
