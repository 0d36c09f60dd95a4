package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.testing.TestFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.streaming.HadoopStreaming;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A driver whose {@code main} returns without {@code System.exit} (Hadoop Streaming, most user
 * drivers) ends its JVM once its faas job is done, although the embedded platform runs in that
 * JVM, and the platform's container JVMs end with it. Each driver runs in a JVM of its own.
 */
@Tag("integration")
class FaasDriverExitIntegrationTest {
  /** How long the driver's JVM may live on after its job succeeded. */
  private static final long EXIT_SECONDS = 20;

  private Path work;
  private Path pmemDir;
  private final List<Long> containers = new ArrayList<>();
  private Process driver;

  @BeforeEach
  void createDirs() throws IOException {
    work = Files.createTempDirectory("faas-driver-exit-");
    pmemDir = Files.createDirectories(Path.of("/dev/shm", "faas-it-" + UUID.randomUUID()));
    Path in = Files.createDirectories(work.resolve("in"));
    Files.writeString(in.resolve("a.txt"), "one two three\ntwo three\n");
    Files.writeString(in.resolve("b.txt"), "three\n");
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (driver != null && driver.isAlive()) {
      // Killed, the driver runs no shutdown hook: its containers are killed here.
      driver.toHandle().descendants().forEach(p -> containers.add(p.pid()));
      driver.destroyForcibly().waitFor();
    }
    for (long pid : containers) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    TestFiles.deleteTree(work);
    TestFiles.deleteTree(pmemDir);
  }

  @Test
  void driverReturningFromMainExitsAndItsContainersEnd() throws Exception {
    driver = startDriver(ReturningDriver.class.getName(), work.toString(), pmemDir.toString());
    CompletableFuture<Void> succeeded = new CompletableFuture<>();
    Thread reader = new Thread(() -> readDriverOutput(succeeded), "driver-stdout");
    reader.setDaemon(true);
    reader.start();

    try {
      succeeded.get(180, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new AssertionError("the driver's job did not succeed within 180 s: "
          + driverErr(), e);
    }
    assertFalse(containers.isEmpty(), "the job ran in container JVMs, children of the driver");
    long afterJob = System.nanoTime();
    if (!driver.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("the driver's JVM still runs " + EXIT_SECONDS + " s after its"
          + " main returned; its non-daemon threads:\n" + nonDaemonThreads(driver.pid()));
    }
    assertEquals(0, driver.exitValue(), this::driverErr);
    assertTrue(System.nanoTime() - afterJob < TimeUnit.SECONDS.toNanos(EXIT_SECONDS));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (long pid : containers) {
      while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        assertTrue(System.nanoTime() < deadline, "container process " + pid
            + " outlived the driver's JVM");
        Thread.sleep(50);
      }
    }
    assertNoContainerLeft();
    assertEquals("one\t1\nthree\t3\ntwo\t2\n",
        Files.readString(work.resolve("out").resolve("part-r-00000")));
  }

  /**
   * A driver that submits and returns without waiting: as with Hadoop's local runner, whose
   * job thread is not a daemon, the job runs to its end in the driver's JVM, which then exits.
   */
  @Test
  void driverReturningRightAfterSubmitLetsItsJobFinishThenExits() throws Exception {
    driver = startDriver(ReturningDriver.class.getName(), work.toString(), pmemDir.toString(),
        ReturningDriver.SUBMIT_ONLY);
    Process started = driver;
    CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(started.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    });
    if (!driver.waitFor(180, TimeUnit.SECONDS)) {
      throw new AssertionError("the driver's JVM still runs 180 s after it submitted its job;"
          + " its non-daemon threads:\n" + nonDaemonThreads(driver.pid()));
    }
    assertEquals(0, driver.exitValue(), this::driverErr);
    String out = stdout.get(10, TimeUnit.SECONDS);
    assertTrue(out.contains(ReturningDriver.SUBMITTED), out);
    assertTrue(Files.exists(work.resolve("out").resolve("_SUCCESS")),
        "the job ran to its end before the JVM exited: " + driverErr());
    assertEquals("one\t1\nthree\t3\ntwo\t2\n",
        Files.readString(work.resolve("out").resolve("part-r-00000")));
    assertNoContainerLeft();
  }

  /** Container JVMs name their work dir, below the driver's temp dir, on their command line. */
  private void assertNoContainerLeft() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<ProcessHandle> left;
    while (!(left = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().orElse("").contains(work.toString()))
        .toList()).isEmpty()) {
      left.forEach(p -> containers.add(p.pid()));
      assertTrue(System.nanoTime() < deadline, "container processes outlived the driver: "
          + left.stream().map(p -> p.info().commandLine().orElse("?")).toList());
      Thread.sleep(50);
    }
  }

  /**
   * Hadoop Streaming's own main, which returns without {@code System.exit} when the job
   * succeeded (it hung after its job, until killed), with {@code cat} as mapper and reducer.
   */
  @Test
  void hadoopStreamingExitsAfterItsJob() throws Exception {
    driver = startDriver(HadoopStreaming.class.getName(),
        "-D", "fs.defaultFS=file:///",
        "-D", "hadoop.tmp.dir=" + work.resolve("tmp"),
        "-D", MRConfig.FRAMEWORK_NAME + "=faas",
        "-D", FaasConfigKeys.LAUNCHER_KEY + "=openwhisk",
        "-D", FaasConfigKeys.OPENWHISK_APIHOST_KEY + "=local",
        "-D", FaasConfigKeys.ACTION_MEMORY_MB_KEY + "=384",
        "-D", FaasConfigKeys.STATE_PMEM_DIR_KEY + "=" + pmemDir,
        "-D", FaasConfigKeys.SUMMARY_DIR_KEY + "=" + work.resolve("summary"),
        "-input", work.resolve("in").toString(), "-output", work.resolve("out").toString(),
        "-mapper", "cat", "-reducer", "cat");
    Process started = driver;
    CompletableFuture.runAsync(() -> {
      try {
        started.getInputStream().transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        // The driver is gone; what it printed is not checked.
      }
    });
    if (!driver.waitFor(180, TimeUnit.SECONDS)) {
      throw new AssertionError("Hadoop Streaming still runs after 180 s; its non-daemon"
          + " threads:\n" + nonDaemonThreads(driver.pid()) + "\n" + driverErr());
    }
    assertEquals(0, driver.exitValue(), this::driverErr);
    assertTrue(Files.exists(work.resolve("out").resolve("_SUCCESS")), this::driverErr);
    assertEquals(List.of("one two three", "three", "two three"),
        Files.readAllLines(work.resolve("out").resolve("part-00000")).stream()
            .map(String::strip).sorted().toList());
    assertNoContainerLeft();
  }

  private Process startDriver(String mainClass, String... args) throws IOException {
    return ChildDrivers.start(work, mainClass, args);
  }

  private void readDriverOutput(CompletableFuture<Void> succeeded) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(driver.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith(ReturningDriver.CONTAINERS)) {
          Arrays.stream(line.substring(ReturningDriver.CONTAINERS.length()).trim().split(" "))
              .filter(s -> !s.isEmpty()).map(Long::parseLong).forEach(containers::add);
        } else if (line.equals(ReturningDriver.SUCCEEDED)) {
          succeeded.complete(null);
        }
      }
      succeeded.completeExceptionally(new IOException("the driver ended without success"));
    } catch (IOException e) {
      succeeded.completeExceptionally(e);
    }
  }

  /** @return the header lines of the process's non-daemon threads, from {@code jcmd} */
  private static String nonDaemonThreads(long pid) throws IOException, InterruptedException {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd")
        .toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
    String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor();
    return String.join("\n", dump.lines()
        .filter(l -> l.startsWith("\"") && l.contains(" #") && !l.contains(" daemon ")).toList());
  }

  private String driverErr() {
    try {
      return Files.readString(work.resolve("driver.err"));
    } catch (IOException e) {
      return "(driver.err unreadable: " + e + ")";
    }
  }
}
