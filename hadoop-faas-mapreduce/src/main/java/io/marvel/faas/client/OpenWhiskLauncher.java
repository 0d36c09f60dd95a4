package io.marvel.faas.client;

import com.google.gson.JsonElement;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.TaskResult;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.ActionSpec;
import io.marvel.whisk.client.WhiskClient;
import io.marvel.whisk.client.WhiskException;
import io.marvel.whisk.client.WhiskSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches task activations through OpenWhisk's REST API: a real deployment (API host, auth
 * key, namespace from the settings) or the embedded platform for {@code apihost=local}. The
 * task action is deployed once per code version (the client skips an upload whose hash is
 * unchanged). Activations are blocking invokes; a failed, timed-out or unreachable activation
 * is a failed attempt that names the activation id. Thread-safe.
 */
final class OpenWhiskLauncher implements TaskLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(OpenWhiskLauncher.class);
  /** How long an activation's record may take to be stored after the invoke answered. */
  private static final Duration RECORD_WAIT = Duration.ofMillis(1_400);
  /** Slack over the action's own time limit for the platform to report the activation. */
  private static final Duration REPORT_SLACK = Duration.ofSeconds(30);

  private final FaasSettings settings;
  private final WhiskClient client;

  private OpenWhiskLauncher(FaasSettings settings, WhiskClient client) {
    this.settings = settings;
    this.client = client;
  }

  /**
   * @param settings validated settings
   * @return a launcher for the configured OpenWhisk
   * @throws IOException if the API host is malformed or the embedded platform cannot start
   */
  static OpenWhiskLauncher create(FaasSettings settings) throws IOException {
    WhiskSettings whisk;
    if (settings.embeddedPlatform()) {
      whisk = EmbeddedPlatform.shared(settings).clientSettings();
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
    return new OpenWhiskLauncher(settings, WhiskClient.create(whisk));
  }

  @Override
  public void prepare() throws IOException {
    ActionSpec spec = ActionSpec.java(settings.actionName(), ActionJar.MAIN, ActionJar.bytes())
        .withMemoryMb(settings.memoryMb())
        .withTimeoutMs((int) settings.activationTimeoutMs());
    try {
      client.deploy(spec);
    } catch (WhiskException e) {
      throw new IOException("cannot deploy task action '" + settings.actionName()
          + "' to OpenWhisk at " + client.settings().apiHost() + ": " + e.getMessage()
          + "; check mapreduce.faas.openwhisk.apihost, mapreduce.faas.openwhisk.auth and"
          + " mapreduce.faas.openwhisk.namespace", e);
    }
  }

  @Override
  public ActivationOutcome launch(TaskArguments args) throws InterruptedException {
    Activation activation;
    try {
      activation = client.invokeBlocking(settings.actionName(), args.toJson(),
          Duration.ofMillis(settings.activationTimeoutMs()).plus(REPORT_SLACK));
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
      return new ActivationOutcome.Failed(id, "activation " + id + " ended with "
          + activation.status().wireName() + ": " + activation.error());
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

  @Override
  public void close() {
    // The client holds no resources that outlive its calls; the embedded platform is shared.
  }
}
