package io.marvel.whisk.client;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of OpenWhisk's REST API (the subset Marvel uses): deploy, get, list and delete
 * actions; invoke them blocking or not; read and await activations. Works the same against a
 * real deployment and the embedded platform. Handles 202 from a blocking invoke that outlasted
 * its wait (by polling), 429 and 503 (retry with backoff), 5xx and resets of idempotent calls
 * (bounded retries with jitter), custom CA or insecure TLS, and time limits on every call.
 * Thread-safe.
 */
public final class WhiskClient {
  /** Annotation holding {@link ActionSpec#deployHash()} on deployed actions. */
  public static final String DEPLOY_HASH_ANNOTATION = "marvel-deploy-hash";
  private static final Logger LOG = LoggerFactory.getLogger(WhiskClient.class);
  private static final int MAX_SERVER_WAIT_MS = 60_000;
  /** Rounds of read, compare and write of one deploy that meets concurrent deploys. */
  private static final int DEPLOY_ATTEMPTS = 3;
  private static final Duration POLL_MIN = Duration.ofMillis(5);
  private static final Duration POLL_MAX = Duration.ofMillis(500);

  private final RestTransport rest;

  private WhiskClient(RestTransport rest) {
    this.rest = rest;
  }

  /**
   * @param settings where and how to connect
   * @return the client
   * @throws IOException if the TLS settings cannot be used (unreadable or empty CA file)
   */
  public static WhiskClient create(WhiskSettings settings) throws IOException {
    return new WhiskClient(new RestTransport(settings));
  }

  /** @return the settings this client uses */
  public WhiskSettings settings() {
    return rest.settings();
  }

  /**
   * Creates or updates an action (a Java kind, or a docker image with the jar as its code).
   * When the action exists with the same deploy hash (kind, image, jar, main class, limits)
   * nothing is uploaded. OpenWhisk answers 409 when another client created
   * or changed the action between this client's read and its write (a revision conflict): the
   * action is read again, and holding the same deploy hash it counts as deployed; else the
   * write is tried again, three times in all.
   *
   * @param spec the action
   * @return the deployed action
   * @throws WhiskException if OpenWhisk refuses it or cannot be reached
   */
  public ActionInfo deploy(ActionSpec spec) throws WhiskException {
    String hash = spec.deployHash();
    String what = "deploy action '" + spec.name() + "'";
    for (int attempt = 1; ; attempt++) {
      Optional<ActionInfo> current = getAction(spec.name());
      if (current.isPresent() && hash.equals(current.get().deployHash())) {
        LOG.debug("action {} is up to date (hash {}), not uploading", spec.name(), hash);
        return current.get();
      }
      RestTransport.Reply reply = rest.send("PUT", actionPath(spec.name()),
          Map.of("overwrite", "true"), deployBody(spec, hash, current), Duration.ZERO, true,
          what);
      if (reply.status() == 409 && attempt < DEPLOY_ATTEMPTS) {
        LOG.debug("{}: 409 from {} (a concurrent deploy), reading it again", what,
            reply.endpoint());
        continue;
      }
      ActionInfo deployed = WhiskJson.action(object(expect(reply, what, 200), what));
      LOG.info("deployed action {} version {} ({} bytes of jar)", spec.name(),
          deployed.version(), spec.jar().length);
      return deployed;
    }
  }

  private static JsonObject deployBody(ActionSpec spec, String hash,
      Optional<ActionInfo> current) {
    JsonObject exec = new JsonObject();
    exec.addProperty("kind", spec.kind());
    if (spec.image() != null) {
      exec.addProperty("image", spec.image());
    }
    exec.addProperty("main", spec.main());
    exec.addProperty("code", Base64.getEncoder().encodeToString(spec.jar()));
    JsonObject limits = new JsonObject();
    limits.addProperty("memory", spec.memoryMb());
    limits.addProperty("timeout", spec.timeoutMs());
    // Marvel's runtimes serve one request at a time, whatever the platform's default.
    limits.addProperty("concurrency", 1);
    if (spec.maxInstances() > 0 || current.map(a -> a.maxInstances() > 0).orElse(false)) {
      // Sent when set, or to clear an earlier value: an update keeps limits it is not sent.
      limits.addProperty("instances", spec.maxInstances());
    }
    JsonObject hashAnnotation = new JsonObject();
    hashAnnotation.addProperty("key", DEPLOY_HASH_ANNOTATION);
    hashAnnotation.addProperty("value", hash);
    JsonArray annotations = new JsonArray();
    annotations.add(hashAnnotation);
    JsonObject body = new JsonObject();
    body.add("exec", exec);
    body.add("limits", limits);
    body.add("annotations", annotations);
    return body;
  }

  /**
   * @param name the action's name
   * @return the action (without its code), or empty if it does not exist
   * @throws WhiskException if OpenWhisk cannot be reached or refuses the call
   */
  public Optional<ActionInfo> getAction(String name) throws WhiskException {
    String what = "get action '" + name + "'";
    RestTransport.Reply reply = rest.send("GET", actionPath(name), Map.of("code", "false"), null,
        Duration.ZERO, true, what);
    if (reply.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(WhiskJson.action(object(expect(reply, what, 200), what)));
  }

  /**
   * Reads the namespace's limits ({@code GET .../limits}, see {@link NamespaceLimits}).
   *
   * @return the limits, or empty if the controller has no such route (404: OpenWhisk before
   *     1.0)
   * @throws WhiskException if OpenWhisk cannot be reached or refuses the call, or its reply is
   *     not the limits object OpenWhisk sends (naming what is wrong)
   */
  public Optional<NamespaceLimits> namespaceLimits() throws WhiskException {
    String what = "read the namespace's limits";
    RestTransport.Reply reply = rest.send("GET", "limits", Map.of(), null, Duration.ZERO, true,
        what);
    if (reply.status() == 404) {
      return Optional.empty();
    }
    JsonObject limits = object(expect(reply, what, 200), what);
    try {
      return Optional.of(NamespaceLimits.fromJson(limits));
    } catch (IllegalArgumentException e) {
      throw new WhiskException(what + ": the reply from " + reply.endpoint() + " is not"
          + " OpenWhisk's limits object: " + e.getMessage(), reply.status(), reply.endpoint(),
          null, null, e);
    }
  }

  /**
   * @return the namespace's actions, most recently updated first (up to 200)
   * @throws WhiskException if OpenWhisk cannot be reached or refuses the call
   */
  public List<ActionInfo> listActions() throws WhiskException {
    String what = "list actions";
    RestTransport.Reply reply = rest.send("GET", "actions", Map.of("limit", "200"), null,
        Duration.ZERO, true, what);
    JsonElement json = expect(reply, what, 200);
    List<ActionInfo> out = new ArrayList<>();
    json.getAsJsonArray().forEach(a -> out.add(WhiskJson.action(a.getAsJsonObject())));
    return out;
  }

  /**
   * @param name the action's name
   * @return true if it was deleted, false if it did not exist
   * @throws WhiskException if OpenWhisk cannot be reached or refuses the call
   */
  public boolean deleteAction(String name) throws WhiskException {
    String what = "delete action '" + name + "'";
    RestTransport.Reply reply = rest.send("DELETE", actionPath(name), Map.of(), null,
        Duration.ZERO, true, what);
    if (reply.status() == 404) {
      return false;
    }
    expect(reply, what, 200);
    return true;
  }

  /**
   * Invokes without waiting.
   *
   * @param name the action's name
   * @param params the parameters
   * @return the activation id
   * @throws WhiskException if the invoke is refused (after retries for 429/503)
   */
  public String invokeNonBlocking(String name, JsonObject params) throws WhiskException {
    String what = "invoke action '" + name + "'";
    RestTransport.Reply reply = rest.send("POST", actionPath(name), Map.of(), params,
        Duration.ZERO, false, what);
    JsonObject body = object(expect(reply, what, 202), what);
    return body.get("activationId").getAsString();
  }

  /**
   * Invokes and waits for the activation record. If OpenWhisk answers 202 because its blocking
   * wait ran out, the activation is polled until {@code deadline}.
   *
   * @param name the action's name
   * @param params the parameters
   * @param deadline how long to wait in total
   * @return the completed activation, whatever its status (check {@link Activation#success()})
   * @throws WhiskException if the invoke is refused, or the activation did not complete in time
   */
  public Activation invokeBlocking(String name, JsonObject params, Duration deadline)
      throws WhiskException {
    long end = System.nanoTime() + deadline.toNanos();
    String what = "invoke action '" + name + "'";
    int waitMs = (int) Math.max(1, Math.min(MAX_SERVER_WAIT_MS, deadline.toMillis()));
    RestTransport.Reply reply = rest.send("POST", actionPath(name),
        Map.of("blocking", "true", "timeout", Integer.toString(waitMs)), params,
        Duration.ofMillis(waitMs), false, what);
    JsonElement json = reply.json();
    boolean record = json != null && json.isJsonObject()
        && json.getAsJsonObject().has("activationId") && json.getAsJsonObject().has("response");
    if ((reply.status() == 200 || reply.status() == 502 || reply.status() == 500) && record) {
      return WhiskJson.activation(json.getAsJsonObject());
    }
    String id = reply.activationId();
    if (reply.status() == 202 && json != null && json.isJsonObject()
        && json.getAsJsonObject().has("activationId")) {
      id = json.getAsJsonObject().get("activationId").getAsString();
    } else if (reply.status() >= 400 || id == null) {
      throw RestTransport.failure(reply, what);
    }
    // A 202 (the wait ran out) or a bare array result: the record is read from the store.
    return awaitActivation(id, Duration.ofNanos(Math.max(0, end - System.nanoTime())));
  }

  /**
   * Invokes, waits, and returns only the result.
   *
   * @param name the action's name
   * @param params the parameters
   * @param deadline how long to wait in total
   * @return the action's result
   * @throws WhiskException if the invoke is refused, times out, or the activation failed (the
   *     message names the activation id, its status and error)
   */
  public JsonElement invokeForResult(String name, JsonObject params, Duration deadline)
      throws WhiskException {
    Activation a = invokeBlocking(name, params, deadline);
    if (!a.success()) {
      throw new WhiskException("action '" + name + "' failed in activation " + a.activationId()
          + " with " + a.status().wireName() + ": " + a.error(), 0, null, a.error(), null, null);
    }
    return a.result();
  }

  /**
   * @param activationId the activation id
   * @return the record, or empty while the activation has not completed (or is unknown)
   * @throws WhiskException if OpenWhisk cannot be reached or refuses the call
   */
  public Optional<Activation> getActivation(String activationId) throws WhiskException {
    String what = "get activation " + activationId;
    RestTransport.Reply reply = rest.send("GET", "activations/" + activationId, Map.of(), null,
        Duration.ZERO, true, what);
    if (reply.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(WhiskJson.activation(object(expect(reply, what, 200), what)));
  }

  /**
   * Lists completed activations with their full records, newest first.
   *
   * @param actionName only this action's activations, or null for all
   * @param limit how many at most, 1 to 200
   * @return the records (with logs)
   * @throws WhiskException if OpenWhisk cannot be reached or refuses the call
   */
  public List<Activation> listActivations(String actionName, int limit) throws WhiskException {
    if (limit < 1 || limit > 200) {
      throw new IllegalArgumentException("limit " + limit + " is out of range; allowed: 1 to 200");
    }
    String what = "list activations" + (actionName == null ? "" : " of '" + actionName + "'");
    Map<String, String> query = new TreeMap<>();
    query.put("docs", "true");
    query.put("limit", Integer.toString(limit));
    if (actionName != null) {
      query.put("name", actionName);
    }
    RestTransport.Reply reply = rest.send("GET", "activations", query, null, Duration.ZERO, true,
        what);
    JsonElement json = expect(reply, what, 200);
    List<Activation> out = new ArrayList<>();
    json.getAsJsonArray().forEach(a -> out.add(WhiskJson.activation(a.getAsJsonObject())));
    return out;
  }

  /**
   * @param activationId the activation id
   * @return its result and status
   * @throws WhiskException with status 404 if it has not completed or is unknown
   */
  public ActivationResult activationResult(String activationId) throws WhiskException {
    String what = "get result of activation " + activationId;
    RestTransport.Reply reply = rest.send("GET", "activations/" + activationId + "/result",
        Map.of(), null, Duration.ZERO, true, what);
    JsonObject o = object(expect(reply, what, 200), what);
    return new ActivationResult(ActivationStatus.fromWireName(o.get("status").getAsString()),
        o.get("result"));
  }

  /**
   * @param activationId the activation id
   * @return its log lines
   * @throws WhiskException with status 404 if it has not completed or is unknown
   */
  public List<String> activationLogs(String activationId) throws WhiskException {
    String what = "get logs of activation " + activationId;
    RestTransport.Reply reply = rest.send("GET", "activations/" + activationId + "/logs",
        Map.of(), null, Duration.ZERO, true, what);
    return WhiskJson.logs(object(expect(reply, what, 200), what));
  }

  /**
   * Polls an activation until it completes, backing off from 5 ms to 500 ms between polls.
   *
   * @param activationId the activation id
   * @param deadline how long to wait
   * @return the completed activation
   * @throws WhiskException if it did not complete within {@code deadline}, naming the id
   */
  public Activation awaitActivation(String activationId, Duration deadline)
      throws WhiskException {
    long end = System.nanoTime() + deadline.toNanos();
    Duration pause = POLL_MIN;
    while (true) {
      Optional<Activation> a = getActivation(activationId);
      if (a.isPresent()) {
        return a.get();
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new WhiskException("activation " + activationId + " did not complete within "
            + deadline.toMillis() + " ms; it may still be running: poll it later or raise the"
            + " deadline", 0, null, null, null, null);
      }
      try {
        Thread.sleep(Math.min(pause.toMillis(), Math.max(1, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WhiskException("interrupted while waiting for activation " + activationId, 0,
            null, null, null, e);
      }
      pause = pause.multipliedBy(2).compareTo(POLL_MAX) > 0 ? POLL_MAX : pause.multipliedBy(2);
    }
  }

  private static String actionPath(String name) {
    return "actions/" + Stream.of(name.split("/")).map(RestTransport::encode)
        .collect(Collectors.joining("/"));
  }

  private static JsonElement expect(RestTransport.Reply reply, String what, int status)
      throws WhiskException {
    if (reply.status() != status) {
      throw RestTransport.failure(reply, what);
    }
    JsonElement json = reply.json();
    if (json == null) {
      throw new WhiskException(what + ": the reply from " + reply.endpoint()
          + " is not JSON; is the apihost an OpenWhisk API?", reply.status(), reply.endpoint(),
          null, null, null);
    }
    return json;
  }

  private static JsonObject object(JsonElement json, String what) throws WhiskException {
    if (!json.isJsonObject()) {
      throw new WhiskException(what + ": expected a JSON object, got " + json, 0, null, null,
          null, null);
    }
    return json.getAsJsonObject();
  }
}
