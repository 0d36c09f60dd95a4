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
 */
public record ActivationJob(String activationId, String transactionId, ExecutableAction action,
    String namespace, String subject, JsonObject params, long receivedAtMs) {
}
