package io.marvel.whisk.platform.controller;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.marvel.whisk.client.ActivationStatus;
import io.marvel.whisk.platform.invoker.ActivationJob;
import io.marvel.whisk.platform.invoker.ActivationRecord;
import io.marvel.whisk.platform.invoker.Invoker;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /namespaces/{ns}/actions/{name}}: throttles, hands the activation to the invoker,
 * and answers 202 with the id, or for a blocking call waits up to its {@code timeout} for the
 * record (docs/openwhisk.md, "Invoke").
 */
final class InvokeRoute {
  private static final Logger LOG = LoggerFactory.getLogger(InvokeRoute.class);
  static final int MAX_WAIT_MS = 60_000;

  private final Invoker invoker;
  private final ActivationStore activations;
  private final Throttle throttle;
  private final String subject;
  private final String apiKey;
  /** Largest invoke payload in bytes (OpenWhisk: whisk.activation.payload.max, 1 MB). */
  private final int maxPayloadBytes;

  InvokeRoute(Invoker invoker, ActivationStore activations, Throttle throttle, String subject,
      String apiKey, long maxPayloadBytes) {
    this.maxPayloadBytes = (int) Math.min(Integer.MAX_VALUE, maxPayloadBytes);
    this.invoker = invoker;
    this.activations = activations;
    this.throttle = throttle;
    this.subject = subject;
    this.apiKey = apiKey;
  }

  void handle(ApiExchange ex, String namespace, StoredAction action)
      throws ApiException, IOException {
    boolean blocking = ex.flag("blocking");
    int waitMs = waitMs(ex.query("timeout"));
    JsonElement body = ex.jsonBody(maxPayloadBytes);
    if (!body.isJsonObject()) {
      throw ApiException.badRequest("The request content was malformed:\nthe parameters must be"
          + " a JSON object.");
    }
    Optional<String> refused = throttle.admit(System.currentTimeMillis());
    if (refused.isPresent()) {
      throw new ApiException(429, refused.get());
    }
    String activationId = UUID.randomUUID().toString().replace("-", "");
    ActivationJob job = new ActivationJob(activationId, ex.transactionId(), action.executable(),
        namespace, subject, body.getAsJsonObject(), ex.receivedAtMs(),
        action.providesApiKey() ? apiKey : null);
    CompletableFuture<ActivationRecord> stored = invoker.submit(job).thenApply(record -> {
      activations.add(record);
      throttle.release();
      LOG.debug("activation {} of {} ended: {}", activationId, action.name(),
          record.status().wireName());
      return record;
    });
    ex.header("x-openwhisk-activation-id", activationId);
    if (blocking) {
      replyWhenDone(ex, activationId, stored, waitMs, ex.flag("result"));
    } else {
      ex.reply(202, idBody(activationId));
    }
  }

  /** Waits up to {@code waitMs} for the record; answers 202 with the id if it is not ready. */
  private static void replyWhenDone(ApiExchange ex, String activationId,
      CompletableFuture<ActivationRecord> stored, int waitMs, boolean resultOnly)
      throws IOException {
    ActivationRecord record;
    try {
      record = stored.get(waitMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      ex.reply(202, idBody(activationId));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.reply(202, idBody(activationId));
      return;
    } catch (ExecutionException e) {
      throw new IllegalStateException("activation " + activationId + " failed inside the"
          + " platform", e.getCause());
    }
    int status = record.status() == ActivationStatus.SUCCESS ? 200
        : record.status() == ActivationStatus.WHISK_ERROR ? 500 : 502;
    if (resultOnly || record.result().isJsonArray()) {
      ex.reply(status, record.result());
    } else {
      // As in OpenWhisk, the record of a blocking invoke carries no logs; fetch them later.
      ex.reply(status, ActivationJson.full(record, false));
    }
  }

  private static int waitMs(String value) throws ApiException {
    if (value == null) {
      return MAX_WAIT_MS;
    }
    try {
      int ms = Integer.parseInt(value);
      if (ms >= 1 && ms <= MAX_WAIT_MS) {
        return ms;
      }
    } catch (NumberFormatException e) {
      // Falls through to the same 400 as an out-of-range number.
    }
    throw ApiException.badRequest("Timeout must be number of milliseconds up to " + MAX_WAIT_MS
        + ".");
  }

  private static JsonObject idBody(String activationId) {
    JsonObject o = new JsonObject();
    o.addProperty("activationId", activationId);
    return o;
  }
}
