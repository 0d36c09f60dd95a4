package io.marvel.faas.launcher;

import com.google.gson.JsonElement;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.TaskResult;
import io.marvel.faas.protocol.WarmUp;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.whisk.client.ActionInfo;
import io.marvel.whisk.client.ActionSpec;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.NamespaceLimits;
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
  /** Longest wait for a warm-up: a container's start and the classes of a task. */
  private static final Duration WARM_UP_WAIT = Duration.ofSeconds(60);
  private static final String CHECK_SETTINGS = "check " + FaasConfigKeys.OPENWHISK_APIHOST_KEY
      + ", " + FaasConfigKeys.OPENWHISK_AUTH_KEY + " and "
      + FaasConfigKeys.OPENWHISK_NAMESPACE_KEY;

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
   * Checks the job's settings against the namespace's limits, then deploys this content's
   * version of the task action (see {@link TaskActionVersions}): a {@code blackbox} action of
   * the task image with the task jar as its code. Then removes versions nobody used within
   * their retention; a failure of that cleanup is logged, it never fails the job.
   *
   * @throws IOException if the platform cannot grant the settings (one message naming each
   *     setting, the platform's limit and the fixes; nothing is deployed), or the deploy fails
   */
  @Override
  public void prepare() throws IOException {
    ActionSpec spec = taskAction(settings);
    checkLimits();
    try {
      client.deploy(spec);
    } catch (WhiskException e) {
      throw new IOException("cannot deploy task action '" + spec.name()
          + "' to OpenWhisk at " + client.settings().apiHost() + ": " + e.getMessage()
          + "; " + CHECK_SETTINGS, e);
    }
    action = spec;
    removeUnusedVersions(System.currentTimeMillis());
  }

  /**
   * @param settings the job's settings
   * @return the task action for them: a {@code blackbox} action of the task image whose code is
   *     the task jar, named after its content (kind, image, jar, main class, limits)
   * @throws IOException if the task jar cannot be read
   */
  public static ActionSpec taskAction(FaasSettings settings) throws IOException {
    ActionSpec content = ActionSpec.blackbox(settings.actionName(), settings.actionImage(),
        ActionJar.MAIN, ActionJar.bytes()).withMemoryMb(settings.memoryMb())
        .withTimeoutMs((int) settings.activationTimeoutMs());
    return content.withName(TaskActionVersions.name(settings.actionName(),
        content.deployHash()));
  }

  /**
   * Refuses the job at once when the namespace cannot grant its settings: every attempt would
   * fail the same way. Limits the platform does not report (no route, an older controller, an
   * unreadable reply) are assumed to be a stock deployment's, with a warning.
   */
  private void checkLimits() throws IOException {
    String where = "OpenWhisk at " + client.settings().apiHost() + " (namespace "
        + client.settings().namespace() + ")";
    Optional<NamespaceLimits> limits;
    String unreported;
    try {
      limits = client.namespaceLimits();
      unreported = where + " has no limits route (GET .../limits answered 404, as OpenWhisk"
          + " before 1.0 does)";
    } catch (WhiskException e) {
      if (e.statusCode() == 0 || e.statusCode() == 401 || e.statusCode() == 403) {
        // No reply, or the key is refused: the deploy would fail the same way.
        throw new IOException("cannot use OpenWhisk at " + client.settings().apiHost() + ": "
            + e.getMessage() + "; " + CHECK_SETTINGS, e);
      }
      limits = Optional.empty();
      unreported = "could not read the limits of " + where + ": " + e.getMessage();
    }
    PlatformLimitsCheck.Verdict verdict = PlatformLimitsCheck.check(settings, limits,
        unreported, where);
    verdict.warning().ifPresent(LOG::warn);
    if (verdict.refusal().isPresent()) {
      throw new IOException(verdict.refusal().get());
    }
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
      return new ActivationOutcome.Failed(id, ActivationFailure.describe(activation, settings));
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
   * Invokes the task action with the warm-up parameters and waits for its answer, at most
   * {@link #WARM_UP_WAIT}.
   */
  @Override
  public WarmUpResult warmUp() throws InterruptedException {
    ActionSpec spec = action;
    if (spec == null) {
      throw new IllegalStateException("warmUp() before prepare()");
    }
    Activation activation;
    try {
      activation = client.invokeBlocking(spec.name(), WarmUp.request(), WARM_UP_WAIT);
    } catch (WhiskException e) {
      if (Thread.interrupted()) {
        throw new InterruptedException("warm-up interrupted");
      }
      return WarmUpResult.failed("none", 0, "invoking a warm-up of " + spec.name()
          + " failed: " + e.getMessage());
    }
    String id = activation.activationId();
    JsonElement result = activation.result();
    if (!activation.success() || result == null || !result.isJsonObject()) {
      return WarmUpResult.failed(id, activation.duration(),
          ActivationFailure.describe(activation, settings));
    }
    try {
      WarmUp.Reply reply = WarmUp.Reply.fromJson(result.getAsJsonObject());
      return new WarmUpResult(id, reply.container(), activation.duration(), true,
          reply.classesLoaded() + " classes loaded in " + reply.ms() + " ms");
    } catch (IllegalArgumentException e) {
      return WarmUpResult.failed(id, activation.duration(), "activation " + id
          + " of a warm-up: " + e.getMessage() + " (an older task action?)");
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
