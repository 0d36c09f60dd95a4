package io.marvel.faas.client;

import io.marvel.faas.coordinator.FaasJob;
import io.marvel.faas.launcher.EmbeddedPlatform;
import java.io.Closeable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;

/**
 * What the faas client shares within one JVM: the jobs whose coordinators run here, the job id
 * sequence, the embedded platform and the background closer of credentials files.
 *
 * <p>Hadoop's {@code ClientProtocolProvider} creates a new {@link FaasJobRunner} per
 * {@code Cluster}, and any of them ({@code mapred job -kill-task} run through
 * {@code ToolRunner}, a second {@code Cluster} in the same driver) must reach a job whose
 * coordinator runs in this JVM; the platform, too, is one per JVM. So one instance is held in
 * a static field here, the only JVM-wide mutable state of the faas client: {@link #get()}
 * returns it, created on first use, and {@link #close()} stops what it started, after which
 * {@link #get()} creates a new one. Thread-safe.
 */
final class FaasClientJvm implements Closeable {
  private static FaasClientJvm current;

  private final String clusterId = "faas" + ThreadLocalRandom.current()
      .nextInt(1, Integer.MAX_VALUE);
  private final AtomicInteger jobCounter = new AtomicInteger();
  /** Jobs whose coordinator runs here; ended jobs are dropped at the next submission. */
  private final Map<JobID, FaasJob> jobs = new ConcurrentHashMap<>();
  private final EmbeddedPlatform platform = new EmbeddedPlatform();
  private final ExecutorService credentialsCloser = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "faas-credentials-closer");
    thread.setDaemon(true);
    return thread;
  });
  private boolean shutdownHookAdded;

  private FaasClientJvm() {
  }

  /** @return this JVM's instance, created on first use or after {@link #close()} */
  static synchronized FaasClientJvm get() {
    if (current == null) {
      current = new FaasClientJvm();
    }
    return current;
  }

  /** @return a new job id, unique in this JVM */
  JobID newJobId() {
    return new JobID(clusterId, jobCounter.incrementAndGet());
  }

  /** @return the embedded platform of this JVM, started when a launcher first needs it */
  EmbeddedPlatform platform() {
    return platform;
  }

  /** @return runs the closes of credentials files that finish in the background */
  ExecutorService credentialsCloser() {
    return credentialsCloser;
  }

  /**
   * Adds a submitted job, drops the jobs that ended, and makes sure the jobs still running
   * when the JVM shuts down are killed ({@link ClientShutdown}).
   *
   * @param jobId the job's id
   * @param job the job, whose coordinator runs here
   */
  synchronized void add(JobID jobId, FaasJob job) {
    jobs.values().removeIf(j -> j.progress().state() != JobStatus.State.RUNNING);
    jobs.put(key(jobId), job);
    if (!shutdownHookAdded) {
      ClientShutdown.addHook(this::jobs);
      shutdownHookAdded = true;
    }
  }

  /**
   * @param jobId a job id, of either API's class
   * @return the job if its coordinator runs here
   */
  Optional<FaasJob> job(JobID jobId) {
    return Optional.ofNullable(jobs.get(key(jobId)));
  }

  /**
   * Ids parsed from strings ({@code mapred job -kill-task}) are of the old API's class, which
   * never equals the new API's; maps of jobs are keyed by the new API's.
   *
   * @param jobId a job id, of either API's class
   * @return the id as the new API's class
   */
  static JobID key(JobID jobId) {
    return new JobID(jobId.getJtIdentifier(), jobId.getId());
  }

  /** @return the jobs whose coordinator runs here, ended ones not yet dropped included */
  Collection<FaasJob> jobs() {
    return List.copyOf(jobs.values());
  }

  /** Stops the embedded platform and the closer; the jobs' own ends are theirs. */
  @Override
  public void close() {
    synchronized (FaasClientJvm.class) {
      if (current == this) {
        current = null;
      }
    }
    platform.close();
    credentialsCloser.shutdown();
  }
}
