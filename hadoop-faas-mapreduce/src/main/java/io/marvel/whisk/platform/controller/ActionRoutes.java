package io.marvel.whisk.platform.controller;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** {@code /namespaces/{ns}/actions[/{name}]}: list, create/update, get, delete, invoke. */
final class ActionRoutes {
  private final ActionStore actions;
  private final InvokeRoute invoke;
  private final AtomicLong revisions = new AtomicLong();
  private final NamespaceLimits limits;

  ActionRoutes(ActionStore actions, InvokeRoute invoke, NamespaceLimits limits) {
    this.actions = actions;
    this.invoke = invoke;
    this.limits = limits;
  }

  void handle(ApiExchange ex, String namespace, List<String> rest)
      throws ApiException, IOException {
    if (rest.isEmpty()) {
      requireMethod(ex, "GET");
      list(ex, namespace);
      return;
    }
    if (rest.size() != 1) {
      // Packages are not supported, so no action inside one exists.
      throw ApiException.notFound();
    }
    String name = rest.get(0);
    ActionUpdate.checkName(name);
    switch (ex.method()) {
      case "PUT" -> put(ex, namespace, name);
      case "GET" -> ex.reply(200, find(namespace, name).toJson(!"false".equals(ex.query("code"))));
      case "DELETE" -> ex.reply(200, actions.remove(namespace, name)
          .orElseThrow(ApiException::notFound).toJson(true));
      case "POST" -> invoke.handle(ex, namespace, find(namespace, name));
      default -> throw methodNotAllowed("GET, PUT, DELETE, POST");
    }
  }

  private StoredAction find(String namespace, String name) throws ApiException {
    return actions.get(namespace, name).orElseThrow(ApiException::notFound);
  }

  private void put(ApiExchange ex, String namespace, String name)
      throws ApiException, IOException {
    JsonElement body = ex.jsonBody(ApiExchange.MAX_BODY_BYTES);
    if (!body.isJsonObject()) {
      throw ApiException.badRequest("The request content was malformed:\nexpected an object.");
    }
    StoredAction old = actions.get(namespace, name).orElse(null);
    if (old != null && !ex.flag("overwrite")) {
      throw new ApiException(409, "resource already exists");
    }
    StoredAction updated = ActionUpdate.apply(namespace, name, old, body.getAsJsonObject(),
        revisions.incrementAndGet(), limits);
    boolean stored = old == null ? actions.create(updated) : actions.replace(old, updated);
    if (!stored) {
      // Another request created or changed the action since it was read: OpenWhisk's
      // datastore reports a revision conflict then, for a create as for an update.
      throw new ApiException(409, "Concurrent modification to resource detected.");
    }
    ex.reply(200, updated.toJson(true));
  }

  private void list(ApiExchange ex, String namespace) throws ApiException, IOException {
    List<StoredAction> all = actions.list(namespace);
    if (ex.flag("count")) {
      JsonObject count = new JsonObject();
      count.addProperty("actions", all.size());
      ex.reply(200, count);
      return;
    }
    int limit = Paging.limit(ex.query("limit"));
    int skip = Paging.skip(ex.query("skip"));
    JsonArray out = new JsonArray();
    all.stream().skip(skip).limit(limit).forEach(a -> out.add(a.summary()));
    ex.reply(200, out);
  }

  static void requireMethod(ApiExchange ex, String method) throws ApiException {
    if (!ex.method().equals(method)) {
      throw methodNotAllowed(method);
    }
  }

  static ApiException methodNotAllowed(String allowed) {
    return new ApiException(405, "HTTP method not allowed, supported methods: " + allowed);
  }
}
