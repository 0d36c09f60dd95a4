package io.marvel.faas.launcher;

import io.marvel.faas.settings.FaasSettings;
import io.marvel.whisk.client.WhiskSettings;
import io.marvel.whisk.platform.EmbeddedWhisk;
import io.marvel.whisk.platform.settings.PlatformSettings;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded OpenWhisk-compatible platform behind {@code mapreduce.faas.openwhisk.apihost=local}:
 * one per JVM (the client's {@code FaasClientJvm} holds it), started on first use and shared by
 * the jobs of this JVM; it stops when closed or with the JVM, after the jobs still running were
 * killed ({@link #SHUTDOWN_PRIORITY}). Its container JVMs get this JVM's class path (the
 * distribution's jars) and its {@code --add-opens} options, which Hadoop needs on Java 17.
 * This is the only place the faas client touches the platform.
 *
 * <p>A job whose platform settings ({@link PlatformShape}) the running platform does not serve
 * gets a platform restarted with them when no other job uses it, and is refused, naming each
 * setting, when one does. Thread-safe.
 */
public final class EmbeddedPlatform implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPlatform.class);
  /**
   * When the platform stops at JVM shutdown: after the client has killed its running jobs
   * (whose attempts run in the platform's containers), before Hadoop closes its file systems.
   */
  static final int SHUTDOWN_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 10;
  private EmbeddedWhisk platform;
  private PlatformShape shape;
  /** Launchers using the platform: jobs between submission and their end. */
  private int users;
  private boolean stopHookRegistered;

  /**
   * The platform for a job, counted as used until {@link #release}.
   *
   * @param settings the job's faas settings
   * @return the running platform, started or restarted with the job's platform settings
   * @throws IOException if it cannot start, or another job of this JVM uses it with platform
   *     settings that differ from this job's (naming each and the fix)
   */
  synchronized EmbeddedWhisk acquire(FaasSettings settings) throws IOException {
    EmbeddedWhisk running = shared(settings);
    users++;
    return running;
  }

  /** Ends one use that {@link #acquire} counted. */
  synchronized void release() {
    users = Math.max(0, users - 1);
  }

  /**
   * @param settings faas settings
   * @return how to reach the platform started for the settings (as {@link #shared})
   * @throws IOException as {@link #acquire}
   */
  public WhiskSettings clientSettings(FaasSettings settings) throws IOException {
    return shared(settings).clientSettings();
  }

  /**
   * The platform, started or restarted for the settings, without counting a use.
   *
   * @param settings faas settings
   * @return the running platform
   * @throws IOException as {@link #acquire}
   */
  public synchronized EmbeddedWhisk shared(FaasSettings settings) throws IOException {
    PlatformShape wanted = PlatformShape.of(settings);
    if (platform != null && !shape.serves(wanted)) {
      if (users > 0) {
        throw new IOException(shape.refusal(wanted));
      }
      LOG.info("Restarting the embedded OpenWhisk platform for the platform settings of a new"
          + " job: {}", String.join("; ", shape.differences(wanted)));
      platform.close();
      platform = null;
    }
    if (platform == null) {
      start(wanted);
    }
    return platform;
  }

  private void start(PlatformShape wanted) throws IOException {
    Path dataDir = Path.of(System.getProperty("java.io.tmpdir"),
        "marvel-whisk-" + System.getProperty("user.name"));
    platform = EmbeddedWhisk.start(PlatformSettings.builder(dataDir)
        .poolMemoryMb(wanted.poolMemoryMb())
        .idleContainerTimeout(Duration.ofMillis(wanted.idleContainerMs()))
        .reuseContainers(wanted.reuseContainers())
        .operatorConfig(System.getenv())
        .inheritModuleOptions().build(), false);
    shape = wanted;
    if (!stopHookRegistered) {
      // Not a JVM hook of its own: those run concurrently, and the platform must outlive the
      // kill of the jobs still running at exit.
      ShutdownHookManager.get().addShutdownHook(this::close,
          SHUTDOWN_PRIORITY, 30, TimeUnit.SECONDS);
      stopHookRegistered = true;
    }
  }

  /** Stops the platform, if it runs; a later {@link #acquire} starts it again. */
  @Override
  public synchronized void close() {
    if (platform != null) {
      platform.close();
      platform = null;
    }
  }
}
