package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.registry.JobRegistry;
import io.marvel.faas.testing.TestFiles;
import io.marvel.faas.testing.WordCountJobs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.Cluster;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.MRConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ctrl-C (SIGINT) or SIGTERM on a {@code hadoop jar} whose faas job still runs: the job ends
 * KILLED with the reason, its state, staging and temporary output go, its containers end, and
 * another process ({@code mapred job -status}, {@code -list}) sees all that at once; after a
 * SIGKILL the next submission ends the job. The driver runs in a JVM of its own with the
 * embedded platform.
 */
@Tag("integration")
class FaasClientShutdownIntegrationTest {
  /**
   * How long the driver may take to end its job and exit after the signal: the timeouts its
   * shutdown hooks are registered with, the jobs' kill (ClientShutdown: 10 s) and then the
   * platform's stop (EmbeddedPlatform: 30 s), and some slack; the whole test takes ~6 s. Its
   * SIGINT case used to time out in builds started in the background, whose ignored SIGINT the
   * driver inherited (see {@link ChildDrivers#start}).
   */
  private static final long EXIT_SECONDS = 45;

  private Path work;
  private Path pmemDir;
  private Process driver;
  /** The driver's stdout, where its log goes, kept for failure messages. */
  private final List<String> driverOut = Collections.synchronizedList(
      new ArrayList<>());

  @BeforeEach
  void createDirs() throws IOException {
    work = Files.createTempDirectory("faas-client-shutdown-");
    pmemDir = Files.createDirectories(Path.of("/dev/shm", "faas-it-" + UUID.randomUUID()));
    Files.writeString(Files.createDirectories(work.resolve("in")).resolve("a.txt"),
        "one two three\n");
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (driver != null && driver.isAlive()) {
      List<ProcessHandle> children = driver.toHandle().descendants().toList();
      driver.destroyForcibly().waitFor();
      children.forEach(ProcessHandle::destroyForcibly);
    }
    containers().forEach(ProcessHandle::destroyForcibly);
    TestFiles.deleteTree(work);
    TestFiles.deleteTree(pmemDir);
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT", "TERM"})
  void stoppedClientKillsItsJobCleanly(String signal) throws Exception {
    driver = startDriver();
    String jobId = jobIdOf(driver);
    Path started = work.resolve(BlockingDriver.MAP_STARTED);
    awaitTrue(() -> Files.exists(started), 120, "the map runs in a container: " + driverErr());
    Path state = pmemDir.resolve(jobId);
    assertTrue(Files.isDirectory(state), "the job has state while it runs");
    assertTrue(Files.isDirectory(work.resolve("out").resolve("_temporary")),
        "the job has temporary output while it runs");
    assertEquals(JobStatus.State.RUNNING, status(jobId).getState());

    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(driver.pid()))
        .inheritIO().start();
    assertEquals(0, kill.waitFor());
    long signalled = System.nanoTime();
    if (!driver.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("the client exits within " + EXIT_SECONDS + " s of SIG" + signal
          + "; its threads:\n" + threadDump(driver) + "\nits log:\n" + driverErr());
    }

    // mapred job -status from another process, at once.
    JobStatus status = status(jobId);
    assertEquals(JobStatus.State.KILLED, status.getState(), status.getFailureInfo());
    assertEquals("Job " + jobId + " was killed: its client process (pid " + driver.pid()
        + ") shut down before the job ended (SIGINT/Ctrl-C, SIGTERM or System.exit); its"
        + " activations were abandoned and its state and temporary output removed",
        status.getFailureInfo());
    // mapred job -list shows running jobs only; -list all shows the killed one.
    Cluster cluster = new Cluster(clientConf());
    try {
      // This JVM's own ended jobs (of another test) are listed too.
      JobStatus[] all = cluster.getAllJobStatuses();
      List<JobStatus> listed = Arrays.stream(all)
          .filter(j -> j.getJobID().toString().equals(jobId)).toList();
      assertEquals(1, listed.size(), Arrays.toString(all));
      assertEquals(JobStatus.State.KILLED, listed.get(0).getState());
      assertTrue(Arrays.stream(all).noneMatch(j -> j.getState() == JobStatus.State.RUNNING),
          Arrays.toString(all));
    } finally {
      cluster.close();
    }
    assertFalse(Files.exists(state), "the job's PMEM state is removed");
    assertFalse(Files.exists(work.resolve("out").resolve("_temporary")),
        "the job's temporary output is removed");
    assertFalse(Files.exists(work.resolve("out").resolve("_SUCCESS")));
    try (var staged = Files.list(stagingDir())) {
      assertEquals(List.of(), staged.toList(), "the job's staging dir is removed");
    }
    assertTrue(Files.exists(work.resolve("summary").resolve(jobId + ".json")),
        "the job's summary is written");
    awaitTrue(() -> containers().isEmpty(), 10, "no container process is left: "
        + containers().stream().map(p -> p.info().commandLine().orElse("?")).toList());
    assertTrue(System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(EXIT_SECONDS + 10));
  }

  /**
   * SIGKILL runs no hook: the containers end with the client (their stdin closes), other
   * processes report the job FAILED once its heartbeat is stale, and the next job submitted with
   * the same registry removes its state, its staging dir and its pending output at once.
   */
  @Test
  void aClientKilledWithSigkillHasItsJobEndedByTheNextSubmission() throws Exception {
    driver = startDriver();
    String jobId = jobIdOf(driver);
    awaitTrue(() -> Files.exists(work.resolve(BlockingDriver.MAP_STARTED)), 120,
        "the map runs in a container: " + driverErr());
    long pid = driver.pid();
    driver.destroyForcibly().waitFor();
    awaitTrue(() -> containers().isEmpty(), 10, "the containers end with their client");
    awaitTrue(() -> failed(jobId), 15, "another process reports the job FAILED");
    assertTrue(status(jobId).getFailureInfo().startsWith("Job " + jobId + " lost its"
        + " coordinator: the submitting process (pid " + pid + ") stopped without ending the"
        + " job"), status(jobId).getFailureInfo());
    Path state = pmemDir.resolve(jobId);
    assertTrue(Files.isDirectory(state), "nobody removed the state yet");
    Path staging = stagingDir().resolve(jobId);
    Path pendingOutput = work.resolve("out").resolve("_temporary");
    assertTrue(Files.isDirectory(staging), "nobody removed the staging dir yet");
    assertTrue(Files.isDirectory(pendingOutput), "nobody aborted the output yet");

    Configuration next = clientConf();
    next.set("hadoop.tmp.dir", work.resolve("tmp-next").toString());
    next.set(FaasConfigKeys.LAUNCHER_KEY, "in-jvm");
    Job job = WordCountJobs.wordCount(next, "next",
        new org.apache.hadoop.fs.Path(work.resolve("in").toUri()),
        new org.apache.hadoop.fs.Path(work.resolve("out-next").toUri()));
    assertTrue(job.waitForCompletion(false), job.getStatus().getFailureInfo());
    assertFalse(Files.exists(state), "the next submission removed the dead client's state");
    assertFalse(Files.exists(staging), "... and its job's staging dir");
    assertFalse(Files.exists(pendingOutput), "... and aborted its job's output");
    assertEquals(JobStatus.State.FAILED, new JobRegistry(work.resolve("summary")).read(jobId)
        .orElseThrow().state(), "the registry records the end");
  }

  private boolean failed(String jobId) {
    try {
      return status(jobId).getState() == JobStatus.State.FAILED;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private Configuration clientConf() {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", "file:///");
    conf.set(MRConfig.FRAMEWORK_NAME, "faas");
    conf.set(FaasConfigKeys.SUMMARY_DIR_KEY, work.resolve("summary").toString());
    conf.set(FaasConfigKeys.STATE_PMEM_DIR_KEY, pmemDir.toString());
    return conf;
  }

  /** @return the job's status as {@code mapred job -status} in this JVM reads it */
  private JobStatus status(String jobId) throws IOException, InterruptedException {
    Cluster cluster = new Cluster(clientConf());
    try {
      Job job = cluster.getJob(JobID.forName(jobId));
      assertTrue(job != null, "job " + jobId + " is known to another process");
      return job.getStatus();
    } finally {
      cluster.close();
    }
  }

  /** @return the driver's staging dir: it stages locally, below its hadoop.tmp.dir */
  private Path stagingDir() {
    return work.resolve("tmp").resolve("faas-staging").resolve(System.getProperty("user.name"))
        .resolve(".staging");
  }

  /** Container JVMs name their work dir, below the driver's temp dir, on their command line. */
  private List<ProcessHandle> containers() {
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().orElse("").contains(work.toString())).toList();
  }

  private String jobIdOf(Process process) throws Exception {
    CompletableFuture<String> id = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(
          process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          driverOut.add(line);
          if (line.startsWith(BlockingDriver.JOB)) {
            id.complete(line.substring(BlockingDriver.JOB.length()).trim());
          }
        }
        id.completeExceptionally(new IOException("the driver ended without a job"));
      } catch (IOException e) {
        id.completeExceptionally(e);
      }
    }, "driver-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      return id.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the driver submitted no job: " + driverErr(), e);
    }
  }

  private Process startDriver() throws IOException {
    return ChildDrivers.start(work, BlockingDriver.class.getName(), work.toString(),
        pmemDir.toString());
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, long seconds,
      String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
      Thread.sleep(50);
    }
  }

  /** @return the driver's stderr and stdout (its log) */
  private String driverErr() {
    String out;
    synchronized (driverOut) {
      out = String.join("\n", driverOut);
    }
    try {
      return Files.readString(work.resolve("driver.err")) + "\n--- stdout:\n" + out;
    } catch (IOException e) {
      return "(driver.err unreadable: " + e + ")\n--- stdout:\n" + out;
    }
  }

  /** A stack dump of a driver that does not exit, to show which shutdown hook holds it. */
  private static String threadDump(Process process) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()),
          "Thread.print").redirectErrorStream(true).start();
      String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      dump.waitFor(30, TimeUnit.SECONDS);
      return text;
    } catch (IOException | InterruptedException e) {
      return "(no thread dump: " + e + ")";
    }
  }
}
