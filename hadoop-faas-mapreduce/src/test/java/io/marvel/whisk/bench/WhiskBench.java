package io.marvel.whisk.bench;

import com.google.gson.JsonObject;
import io.marvel.whisk.client.ActionSpec;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.WhiskClient;
import io.marvel.whisk.platform.EmbeddedWhisk;
import io.marvel.whisk.platform.settings.PlatformSettings;
import io.marvel.whisk.testing.ActionJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The numbers of {@code dev-support/bin/bench-whisk} for a no-op Java action on the embedded
 * platform, all through the REST API with {@link WhiskClient}: cold start (a new container JVM),
 * warm blocking latency p50/p99, and sustained invocations per second with one and with two
 * containers. Prints a table on stdout.
 */
public final class WhiskBench {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final JsonObject NO_PARAMS = new JsonObject();

  private WhiskBench() {
  }

  /**
   * @param args {@code [coldSamples] [warmSamples] [throughputSeconds] [clientThreads]}
   * @throws Exception if the platform fails
   */
  public static void main(String[] args) throws Exception {
    int coldSamples = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int warmSamples = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "marvel-bench-whisk");
    try {
      byte[] jar = ActionJars.noop(dir.resolve("jars"));
      double[] cold;
      double[] warm;
      try (EmbeddedWhisk whisk = start(dir.resolve("latency"), 4096)) {
        WhiskClient client = WhiskClient.create(whisk.clientSettings());
        cold = coldStarts(client, jar, coldSamples);
        warm = warmLatencies(client, jar, warmSamples);
      }
      double one = throughput(dir.resolve("one"), jar, 256, seconds, threads);
      double two = throughput(dir.resolve("two"), jar, 512, seconds, threads);
      System.out.printf("%-46s %10s %-6s %s%n", "measurement (no-op Java action)", "value", "unit",
          "target");
      row("cold start, new container JVM (median of " + coldSamples + ")", cold[cold.length / 2],
          "ms", "< 1000");
      row("warm invoke p50, blocking through REST", percentile(warm, 50), "ms", "< 5");
      row("warm invoke p99, blocking through REST", percentile(warm, 99), "ms", "");
      row("invocations/s, 1 container, " + threads + " clients", one, "1/s", "");
      row("invocations/s, 2 containers, " + threads + " clients", two, "1/s", "");
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void row(String name, double value, String unit, String target) {
    System.out.printf("%-46s %10.2f %-6s %s%n", name, value, unit, target);
  }

  private static EmbeddedWhisk start(Path dir, long poolMb) throws IOException {
    return EmbeddedWhisk.start(PlatformSettings.builder(dir).poolMemoryMb(poolMb)
        .concurrentInvocations(1000).invocationsPerMinute(1_000_000).build());
  }

  private static double[] coldStarts(WhiskClient client, byte[] jar, int samples)
      throws IOException {
    double[] ms = new double[samples];
    for (int i = 0; i < samples; i++) {
      client.deploy(ActionSpec.java("cold-" + i, ActionJars.NOOP_MAIN, jar));
      long t0 = System.nanoTime();
      Activation a = client.invokeBlocking("cold-" + i, NO_PARAMS, WAIT);
      ms[i] = (System.nanoTime() - t0) / 1e6;
      check(a);
      client.deleteAction("cold-" + i);
    }
    Arrays.sort(ms);
    return ms;
  }

  private static double[] warmLatencies(WhiskClient client, byte[] jar, int samples)
      throws IOException {
    client.deploy(ActionSpec.java("warm", ActionJars.NOOP_MAIN, jar));
    for (int i = 0; i < Math.max(500, samples / 4); i++) {
      check(client.invokeBlocking("warm", NO_PARAMS, WAIT));
    }
    double[] ms = new double[samples];
    for (int i = 0; i < samples; i++) {
      long t0 = System.nanoTime();
      Activation a = client.invokeBlocking("warm", NO_PARAMS, WAIT);
      ms[i] = (System.nanoTime() - t0) / 1e6;
      check(a);
    }
    Arrays.sort(ms);
    return ms;
  }

  private static double throughput(Path dir, byte[] jar, long poolMb, int seconds, int threads)
      throws Exception {
    try (EmbeddedWhisk whisk = start(dir, poolMb)) {
      WhiskClient client = WhiskClient.create(whisk.clientSettings());
      client.deploy(ActionSpec.java("tput", ActionJars.NOOP_MAIN, jar));
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        runFor(pool, client, threads, Duration.ofSeconds(2));
        long t0 = System.nanoTime();
        long count = runFor(pool, client, threads, Duration.ofSeconds(seconds));
        return count / ((System.nanoTime() - t0) / 1e9);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static long runFor(ExecutorService pool, WhiskClient client, int threads,
      Duration duration) throws Exception {
    long end = System.nanoTime() + duration.toNanos();
    AtomicLong done = new AtomicLong();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          check(client.invokeBlocking("tput", NO_PARAMS, WAIT));
          done.incrementAndGet();
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    return done.get();
  }

  private static void check(Activation a) {
    if (!a.success()) {
      throw new IllegalStateException("benchmark activation failed: " + a);
    }
  }

  private static double percentile(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
