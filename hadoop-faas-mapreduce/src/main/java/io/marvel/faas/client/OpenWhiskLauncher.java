package io.marvel.faas.client;

import com.google.gson.JsonElement;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.TaskResult;
import io.marvel.whisk.client.ActionInfo;
import io.marvel.whisk.client.ActionSpec;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.WhiskClient;
import io.marvel.whisk.client.WhiskException;
import io.marvel.whisk.client.WhiskSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches task activations through OpenWhisk's REST API: a real deployment (API host, auth
 * key, namespace from the settings) or the embedded platform for {@code apihost=local}. The
 * task action is deployed once per content, under a name of its own ({@link
 * TaskActionVersions}); the client skips an upload that is already there. Activations are
 * blocking invokes; a failed, timed-out or unreachable activation is a failed attempt that
 * names the activation id. Thread-safe.
 */
public final class OpenWhiskLauncher implements TaskLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(OpenWhiskLauncher.class);
  /** How long an activation's record may take to be stored after the invoke answered. */
  private static final Duration RECORD_WAIT = Duration.ofMillis(1_400);
  /** Slack over the action's own time limit for the platform to report the activation. */
  private static final Duration REPORT_SLACK = Duration.ofSeconds(30);

  private final FaasSettings settings;
  private final WhiskClient client;
  /** True while this launcher counts as a user of the embedded platform. */
  private final EmbeddedPlatform embedded;
  private final AtomicBoolean usesEmbedded;
  /** This content's version of the task action, known once {@link #prepare()} deployed it. */
  private volatile ActionSpec action;

  /** @param embedded the embedded platform this launcher uses, or null for another OpenWhisk */
  private OpenWhiskLauncher(FaasSettings settings, WhiskClient client,
      EmbeddedPlatform embedded) {
    this.settings = settings;
    this.client = client;
    this.embedded = embedded;
    this.usesEmbedded = new AtomicBoolean(embedded != null);
  }

  /**
   * @param settings validated settings
   * @param embedded this JVM's embedded platform, used if the settings name it
   * @return a launcher for the configured OpenWhisk
   * @throws IOException if the API host is malformed, or the embedded platform cannot start or
   *     is in use with other platform settings
   */
  public static OpenWhiskLauncher create(FaasSettings settings, EmbeddedPlatform embedded)
      throws IOException {
    WhiskSettings whisk;
    if (settings.embeddedPlatform()) {
      whisk = embedded.acquire(settings).clientSettings();
      try {
        return new OpenWhiskLauncher(settings, WhiskClient.create(whisk), embedded);
      } catch (IOException | RuntimeException e) {
        embedded.release();
        throw e;
      }
    } else {
      if (settings.auth().isEmpty()) {
        throw new IOException("mapreduce.faas.openwhisk.auth is empty for OpenWhisk at "
            + settings.apiHost() + "; set it to the namespace's key (uuid:key)");
      }
      try {
        whisk = WhiskSettings.of(WhiskSettings.parseApiHost(settings.apiHost()),
            settings.auth()).withNamespace(settings.namespace());
      } catch (IllegalArgumentException e) {
        throw new IOException("mapreduce.faas.openwhisk.apihost / auth rejected: "
            + e.getMessage(), e);
      }
    }
    return new OpenWhiskLauncher(settings, WhiskClient.create(whisk), null);
  }

  /**
   * Deploys this content's version of the task action (see {@link TaskActionVersions}), then
   * removes versions nobody used within their retention. A failure of that cleanup is logged;
   * it never fails the job.
   */
  @Override
  public void prepare() throws IOException {
    ActionSpec content = ActionSpec.java(settings.actionName(), ActionJar.MAIN,
        ActionJar.bytes()).withMemoryMb(settings.memoryMb())
        .withTimeoutMs((int) settings.activationTimeoutMs());
    ActionSpec spec = content.withName(TaskActionVersions.name(settings.actionName(),
        content.deployHash()));
    checkMemoryFits();
    try {
      client.deploy(spec);
    } catch (WhiskException e) {
      throw new IOException("cannot deploy task action '" + spec.name()
          + "' to OpenWhisk at " + client.settings().apiHost() + ": " + e.getMessage()
          + "; check mapreduce.faas.openwhisk.apihost, mapreduce.faas.openwhisk.auth and"
          + " mapreduce.faas.openwhisk.namespace", e);
    }
    action = spec;
    removeUnusedVersions(System.currentTimeMillis());
  }

  /**
   * Refuses the job at once when the platform runs no action as large as the task action: its
   * every attempt would fail the same way. A platform that does not report its limit (or cannot
   * be asked, which the deploy then reports) is not checked.
   */
  private void checkMemoryFits() throws IOException {
    Optional<Long> max;
    try {
      max = client.maxActionMemoryMb();
    } catch (WhiskException e) {
      LOG.debug("Could not read the limits of {}: {}", client.settings().apiHost(),
          e.getMessage());
      return;
    }
    if (max.isPresent() && settings.memoryMb() > max.get()) {
      throw new IOException(tooLarge(client.settings().apiHost().toString(),
          settings.memoryMb(), max.get()));
    }
  }

  /** @return why a task action of {@code memoryMb} cannot run where actions get {@code maxMb} */
  static String tooLarge(String apiHost, int memoryMb, long maxMb) {
    return "the task action needs " + FaasConfigKeys.ACTION_MEMORY_MB_KEY + " = " + memoryMb
        + " MB, but OpenWhisk at " + apiHost + " runs no action over " + maxMb + " MB, so no"
        + " attempt could ever run. Lower " + FaasConfigKeys.ACTION_MEMORY_MB_KEY
        + " to at most " + maxMb + ", or raise the platform's limit: for Marvel's platform"
        + " daemon its container pool, MARVEL_WHISK_POOL_MB in etc/hadoop/marvel-env.sh (at"
        + " most 8192 MB per action; restart it with sbin/stop-marvel.sh and"
        + " sbin/start-marvel.sh), for a stock OpenWhisk its limits.actions.memory.max";
  }

  /** @return the name of the version {@link #prepare()} deployed, or null before */
  public String actionName() {
    ActionSpec spec = action;
    return spec == null ? null : spec.name();
  }

  /**
   * Deletes the other versions of the task action that were neither deployed nor run within
   * their retention.
   *
   * @param now the current time, epoch ms (a test passes a later one)
   */
  public void removeUnusedVersions(long now) {
    long retention = settings.actionRetentionMs();
    try {
      for (ActionInfo old : TaskActionVersions.notDeployedRecently(settings.actionName(),
          action.name(), client.listActions(), now, retention)) {
        if (TaskActionVersions.unused(old, client.listActivations(old.name(), 1), now,
            retention) && client.deleteAction(old.name())) {
          LOG.info("Removed task action {} (version {}): unused for over {} ms", old.name(),
              old.version(), retention);
        }
      }
    } catch (WhiskException e) {
      LOG.warn("Could not remove unused versions of task action {} at {}: {}",
          settings.actionName(), client.settings().apiHost(), e.getMessage());
    }
  }

  @Override
  public ActivationOutcome launch(TaskArguments args) throws InterruptedException {
    Activation activation;
    try {
      activation = invoke(args);
    } catch (WhiskException e) {
      if (Thread.interrupted()) {
        throw new InterruptedException("launch of " + args.attemptId() + " interrupted");
      }
      return new ActivationOutcome.Failed("none", "invoking " + args.attemptId()
          + " failed: " + e.getMessage());
    }
    String id = activation.activationId();
    JsonElement result = activation.result();
    if (!activation.success() || result == null || !result.isJsonObject()) {
      return new ActivationOutcome.Failed(id, ActivationFailure.describe(id, activation.status(),
          activation.error()));
    }
    try {
      return new ActivationOutcome.Completed(id, TaskResult.fromJson(result.getAsJsonObject()));
    } catch (IllegalArgumentException e) {
      LOG.warn("Activation {} returned a malformed task result", id, e);
      return new ActivationOutcome.Failed(id, "activation " + id
          + " returned a malformed task result: " + e.getMessage());
    }
  }

  /**
   * Invokes the task action. One that is gone (an operator or another client removed it) is
   * deployed again and invoked once more, so the job does not lose the attempt.
   */
  private Activation invoke(TaskArguments args) throws WhiskException {
    ActionSpec spec = action;
    Duration wait = Duration.ofMillis(settings.activationTimeoutMs()).plus(REPORT_SLACK);
    try {
      return client.invokeBlocking(spec.name(), args.toJson(), wait);
    } catch (WhiskException e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      LOG.warn("Task action {} is gone from {}; deploying it again for {}", spec.name(),
          client.settings().apiHost(), args.attemptId());
      client.deploy(spec);
      return client.invokeBlocking(spec.name(), args.toJson(), wait);
    }
  }

  /**
   * Reads the activation's record, which holds its logs. A deployed OpenWhisk may store it a
   * moment after the blocking invoke answered, so "not found" is polled for a while.
   */
  @Override
  public List<String> activationLogs(String activationId) throws IOException {
    return client.awaitActivation(activationId, RECORD_WAIT).logs();
  }

  @Override
  public void jobEnded(String jobId) {
    // Containers drop the job from their caches by LRU; an activation still running after a
    // kill finds the job's state removed and fails without writing.
  }

  /** Ends this job's use of the embedded platform; the client holds nothing else. */
  @Override
  public void close() {
    if (usesEmbedded.compareAndSet(true, false)) {
      embedded.release();
    }
  }
}
