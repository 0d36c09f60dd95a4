package io.marvel.faas.client;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.launcher.EmbeddedPlatform;
import io.marvel.faas.launcher.Launchers;
import io.marvel.faas.launcher.TaskLauncher;
import io.marvel.faas.launcher.WarmUpResult;
import io.marvel.faas.launcher.WarmUps;
import io.marvel.faas.launcher.WarmedLauncher;
import io.marvel.faas.settings.FaasSettings;
import java.security.PrivilegedAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the containers of a job's first wave while its client stages the job: when the client
 * asks for the job's id ({@code getNewJobID}), a thread deploys the task action and invokes it
 * with warm-up parameters as many times as the first wave has maps ({@link FirstWave}, at most
 * {@code mapreduce.faas.max-concurrency}), each on a thread of its own. A stock OpenWhisk keeps
 * each container warm for the action's next activation, so the job's first tasks reuse them;
 * {@link WarmUps} makes them wait for a warm-up still running rather than start new containers.
 * Off with {@code mapreduce.faas.prewarm=false}, for the in-JVM launcher, and on an embedded
 * platform that keeps no container warm. Whatever fails is logged and leaves the job as it
 * would be without warm-ups.
 */
final class JobPrewarm {
  private static final Logger LOG = LoggerFactory.getLogger(JobPrewarm.class);
  /** The longest a task launch waits for a warm-up (a container's start and class loading). */
  static final long MAX_WAIT_MS = 30_000;

  private final String jobId;
  private final Configuration conf;
  private final FaasSettings settings;
  private final EmbeddedPlatform platform;
  private final WarmUps warmUps = new WarmUps(MAX_WAIT_MS);

  private JobPrewarm(String jobId, Configuration conf, FaasSettings settings,
      EmbeddedPlatform platform) {
    this.jobId = jobId;
    this.conf = conf;
    this.settings = settings;
    this.platform = platform;
  }

  /**
   * Starts the warm-ups of a job in the background, if its settings ask for them.
   *
   * @param jobId the id just given to the job
   * @param conf the job's configuration as the client has it now (copied)
   * @param platform this JVM's embedded platform
   * @return the job's warm-ups, or empty if it gets none
   */
  static Optional<JobPrewarm> start(JobID jobId, Configuration conf, EmbeddedPlatform platform) {
    FaasSettings settings;
    Configuration copy;
    UserGroupInformation user;
    try {
      if (!conf.getBoolean(FaasConfigKeys.PREWARM_KEY, FaasConfigKeys.PREWARM_DEFAULT)) {
        return Optional.empty();
      }
      settings = FaasSettings.from(conf);
      if (settings.launcher() != FaasSettings.Launcher.OPENWHISK
          || settings.embeddedPlatform() && !settings.embeddedReuseContainers()) {
        return Optional.empty();
      }
      copy = new Configuration(conf);
      user = UserGroupInformation.getCurrentUser();
    } catch (Exception e) {
      // Bad settings are the submission's to report.
      LOG.debug("No warm-ups for job {}: {}", jobId, e.toString());
      return Optional.empty();
    }
    JobPrewarm prewarm = new JobPrewarm(jobId.toString(), copy, settings, platform);
    Thread thread = new Thread(() -> user.doAs((PrivilegedAction<Void>) () -> {
      prewarm.run();
      return null;
    }), "faas-prewarm-" + jobId);
    thread.setDaemon(true);
    thread.start();
    return Optional.of(prewarm);
  }

  /**
   * @param jobLauncher the launcher the job's coordinator uses
   * @return it, with its first launches waiting for the warm-ups still running
   */
  TaskLauncher wrap(TaskLauncher jobLauncher) {
    return new WarmedLauncher(jobLauncher, warmUps);
  }

  private void run() {
    int count;
    try {
      count = FirstWave.containers(conf, settings.maxConcurrency());
    } catch (Exception e) {
      LOG.info("No warm-ups for job {}: its input could not be listed: {}", jobId,
          e.toString());
      warmUps.begin(0);
      return;
    }
    TaskLauncher launcher = null;
    try {
      launcher = Launchers.create(settings, platform);
      launcher.prepare();
      if (!warmUps.begin(count)) {
        LOG.info("No warm-ups for job {}: its tasks started first", jobId);
        return;
      }
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        TaskLauncher shared = launcher;
        Thread thread = new Thread(() -> warmUps.ended(warmUp(shared)),
            "faas-warm-up-" + jobId + "-" + i);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        thread.join();
      }
      LOG.info("Job {}: {} warm-up activation(s) ended: {}", jobId, count, warmUps.results());
    } catch (Exception e) {
      LOG.info("No warm-ups for job {}: {}", jobId, e.toString());
      warmUps.begin(0);
    } finally {
      if (launcher != null) {
        launcher.close();
      }
    }
  }

  private WarmUpResult warmUp(TaskLauncher launcher) {
    try {
      WarmUpResult result = launcher.warmUp();
      if (!result.succeeded()) {
        LOG.info("A warm-up of job {} failed, its task will start as it would without: {}",
            jobId, result.detail());
      }
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return WarmUpResult.failed("none", 0, "interrupted");
    } catch (RuntimeException e) {
      LOG.info("A warm-up of job {} failed", jobId, e);
      return WarmUpResult.failed("none", 0, e.toString());
    }
  }
}
