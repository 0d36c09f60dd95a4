package io.marvel.whisk.platform.invoker;

import com.google.gson.JsonObject;

/**
 * One accepted invocation waiting for or running in a container.
 *
 * @param activationId 32 lowercase hex characters
 * @param transactionId the controller's transaction id for the request
 * @param action the action to run
 * @param namespace the invoking namespace
 * @param subject the invoking subject
 * @param params the parameters from the request (merged over the action's defaults here)
 * @param receivedAtMs epoch ms when the controller received the request
 * @param apiKey the caller's key, handed to the action only when its {@code provide-api-key}
 *     annotation allows it; otherwise null
 */
public record ActivationJob(String activationId, String transactionId, ExecutableAction action,
    String namespace, String subject, JsonObject params, long receivedAtMs, String apiKey) {

  /** Hides the key. */
  @Override
  public String toString() {
    return "ActivationJob[" + activationId + ", action=" + action.path() + ", namespace="
        + namespace + ", apiKey=" + (apiKey == null ? "none" : "****") + "]";
  }
}
