package io.marvel.faas.launcher;

import com.google.gson.JsonElement;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.MarvelBuild;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.ActivationStatus;

/**
 * Says why an activation of the task action returned no task result, for the attempt's
 * diagnostics. The task action reports every failure of the task's code as a failed task, so
 * the failures seen here come from the platform: OpenWhisk's wording (an "action developer
 * error") reads like a bug in the user's code, so three cases get their cause and fix instead:
 * a container process that went away, a task that ran past the time limit, an image the
 * platform could not pull.
 */
final class ActivationFailure {
  /** OpenWhisk's messages for a container that went away during init or run end so. */
  static final String CONTAINER_GONE = "exited unexpectedly.";
  /**
   * OpenWhisk's message for an activation stopped at its time limit, in {@code /run} or
   * {@code /init} ({@code Messages.timedoutActivation},
   * {@code common/scala/.../http/ErrorResponse.scala}).
   */
  static final String TIMED_OUT = "The action exceeded its time limits of";
  /**
   * OpenWhisk's message for a blackbox image the invoker could not pull
   * ({@code Messages.imagePullError}, {@code common/scala/.../http/ErrorResponse.scala}; raised
   * in {@code core/invoker/.../containerpool/docker/DockerContainer.scala}).
   */
  static final String PULL_FAILED = "Failed to pull container image";

  private ActivationFailure() {
  }

  /**
   * @param activation the activation, which returned no task result
   * @param settings the job's settings
   * @return the attempt's diagnostics
   */
  static String describe(Activation activation, FaasSettings settings) {
    String id = activation.activationId();
    ActivationStatus status = activation.status();
    String error = activation.error();
    String says = " The platform says: " + error + " (OpenWhisk status: " + status.wireName()
        + ")";
    if (status == ActivationStatus.DEVELOPER_ERROR && timedOut(activation)) {
      long limit = settings.activationTimeoutMs();
      return "activation " + id + " ran past the task's time limit of " + limit + " ms ("
          + FaasConfigKeys.ACTIVATION_TIMEOUT_MS_KEY + " = " + limit + ") and was stopped."
          + " Give the job more, smaller tasks (more maps: a smaller"
          + " mapreduce.input.fileinputformat.split.maxsize; more reducers:"
          + " mapreduce.job.reduces), or raise " + FaasConfigKeys.ACTIVATION_TIMEOUT_MS_KEY
          + " (at most the platform's maxActionTimeout, which an OpenWhisk operator raises"
          + " with CONFIG_whisk_timeLimit_max)." + says;
    }
    if (status == ActivationStatus.DEVELOPER_ERROR && error != null
        && error.contains(PULL_FAILED)) {
      return "activation " + id + ": the platform cannot start the task image "
          + settings.actionImage() + " (" + FaasConfigKeys.ACTION_IMAGE_KEY + "). Set "
          + FaasConfigKeys.ACTION_IMAGE_KEY + " to an image the platform can run: on an"
          + " OpenWhisk deployment, the image the distribution builds (dist/docker) pushed to"
          + " a registry its invokers pull from and named with that registry (e.g."
          + " registry.example.com:5000/marvel/task-runtime:" + MarvelBuild.VERSION + "); on"
          + " Marvel's embedded platform, the default " + FaasConfigKeys.ACTION_IMAGE_DEFAULT
          + "." + says;
    }
    if (status == ActivationStatus.DEVELOPER_ERROR && error != null
        && error.contains(CONTAINER_GONE)) {
      return "activation " + id + ": its container process died while it ran the"
          + " attempt; this is no error of the task's code, which the task reports as a failed"
          + " task with its stack trace. The process was killed (by a signal, e.g. the kernel's"
          + " OOM killer), crashed, or something in it called System.exit." + says;
    }
    return "activation " + id + " ended with " + status.wireName() + ": " + error;
  }

  /** OpenWhisk marks a timed-out activation with the annotation {@code timeout: true}. */
  private static boolean timedOut(Activation activation) {
    JsonElement flag = activation.annotations().get("timeout");
    boolean annotated = flag != null && flag.isJsonPrimitive()
        && flag.getAsJsonPrimitive().isBoolean() && flag.getAsBoolean();
    String error = activation.error();
    return annotated || error != null && error.startsWith(TIMED_OUT);
  }
}
