package io.marvel.whisk.client;

import com.google.gson.JsonElement;

/**
 * The {@code response} part of an activation: {@code GET .../activations/{id}/result}.
 *
 * @param status the outcome
 * @param result the result, or an object with an {@code error} key
 */
public record ActivationResult(ActivationStatus status, JsonElement result) {
  /** @return true if the status is success */
  public boolean success() {
    return status == ActivationStatus.SUCCESS;
  }
}
