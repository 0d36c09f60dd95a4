package io.marvel.faas.client;

import io.marvel.faas.coordinator.FaasJob;
import io.marvel.faas.launcher.EmbeddedPlatform;
import io.marvel.faas.registry.OrphanSweep;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the jobs of this JVM when it shuts down before they ended ({@code Ctrl-C} on
 * {@code hadoop jar}, SIGTERM, {@code System.exit} in a driver that did not wait): each is
 * killed as {@code killJob} kills it (attempts abandoned, output aborted, state removed, KILLED
 * published with the reason), within {@link #KILL_WAIT_MS}. The coordinators live in this JVM,
 * so nobody else would end them.
 *
 * <p>JVM shutdown hooks run concurrently, so the order goes through Hadoop's
 * {@link ShutdownHookManager}, which runs its hooks one after another by priority: first the
 * jobs are killed ({@link #JOBS_PRIORITY}), then the embedded platform stops
 * ({@link EmbeddedPlatform#SHUTDOWN_PRIORITY}; its containers run the attempts being
 * abandoned), and Hadoop's
 * file systems, which the kill uses, close last. A client killed with SIGKILL runs no hook: its
 * job is reported FAILED by the registry once its heartbeat is stale, and the next submission
 * removes its state ({@link OrphanSweep}).
 */
final class ClientShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(ClientShutdown.class);
  /** Before the embedded platform stops and before Hadoop closes its file systems. */
  static final int JOBS_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 20;
  /** How long the jobs of this JVM may take to end once the JVM shuts down, ms. */
  static final long KILL_WAIT_MS = 8_000;

  private ClientShutdown() {
  }

  /**
   * Adds the hook that kills the running jobs when the JVM shuts down; {@link FaasClientJvm}
   * adds it once.
   *
   * @param running the jobs of this JVM at the time of the shutdown
   */
  static void addHook(Supplier<Collection<FaasJob>> running) {
    ShutdownHookManager.get().addShutdownHook(() -> killAll(running.get()), JOBS_PRIORITY,
        KILL_WAIT_MS + 2_000, TimeUnit.MILLISECONDS);
  }

  /** @return why a job of this JVM was killed when the JVM shut down */
  static String reason(String jobId) {
    return "Job " + jobId + " was killed: its client process (pid "
        + ProcessHandle.current().pid() + ") shut down before the job ended (SIGINT/Ctrl-C,"
        + " SIGTERM or System.exit); its activations were abandoned and its state and"
        + " temporary output removed";
  }

  private static void killAll(Collection<FaasJob> jobs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_WAIT_MS);
    int killed = 0;
    for (FaasJob job : jobs) {
      if (job.kill(reason(job.id()))) {
        killed++;
      }
    }
    if (killed == 0) {
      return;
    }
    LOG.info("The client is shutting down: killing its {} running job(s)", killed);
    for (FaasJob job : jobs) {
      long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      try {
        if (!job.awaitEnd(Math.max(1, leftMs))) {
          LOG.warn("Job {} had not ended {} ms after the client began to shut down; its state"
              + " may stay until a later job's state TTL sweep", job.id(), KILL_WAIT_MS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
