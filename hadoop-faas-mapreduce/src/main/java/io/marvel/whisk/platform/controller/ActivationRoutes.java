package io.marvel.whisk.platform.controller;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.marvel.whisk.platform.invoker.ActivationRecord;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/** {@code /namespaces/{ns}/activations[/{id}[/result|/logs]]}: list and read records. */
final class ActivationRoutes {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

  private final ActivationStore activations;

  ActivationRoutes(ActivationStore activations) {
    this.activations = activations;
  }

  void handle(ApiExchange ex, String namespace, List<String> rest)
      throws ApiException, IOException {
    ActionRoutes.requireMethod(ex, "GET");
    if (rest.isEmpty()) {
      list(ex, namespace);
      return;
    }
    String id = rest.get(0);
    if (!ID.matcher(id).matches()) {
      throw ApiException.badRequest("The activation id '" + id + "' is not valid: expected 32"
          + " lowercase hex characters.");
    }
    ActivationRecord record = activations.get(id)
        .filter(r -> r.namespace().equals(namespace))
        .orElseThrow(ApiException::notFound);
    if (rest.size() == 1) {
      ex.reply(200, ActivationJson.full(record, true));
    } else if (rest.size() == 2 && rest.get(1).equals("result")) {
      ex.reply(200, ActivationJson.response(record));
    } else if (rest.size() == 2 && rest.get(1).equals("logs")) {
      JsonArray logs = new JsonArray();
      record.logs().forEach(logs::add);
      JsonObject o = new JsonObject();
      o.add("logs", logs);
      ex.reply(200, o);
    } else {
      throw ApiException.notFound();
    }
  }

  private void list(ApiExchange ex, String namespace) throws ApiException, IOException {
    String name = ex.query("name");
    if (name != null && name.contains("/")) {
      name = name.substring(name.lastIndexOf('/') + 1);
    }
    List<ActivationRecord> all = activations.query(namespace, name,
        Paging.epochMs("since", ex.query("since"), 0),
        Paging.epochMs("upto", ex.query("upto"), Long.MAX_VALUE));
    boolean docs = ex.flag("docs");
    if (ex.flag("count")) {
      if (docs) {
        throw ApiException.badRequest("The parameters 'count' and 'docs' cannot be combined.");
      }
      JsonObject count = new JsonObject();
      count.addProperty("activations", all.size());
      ex.reply(200, count);
      return;
    }
    int limit = Paging.limit(ex.query("limit"));
    int skip = Paging.skip(ex.query("skip"));
    JsonArray out = new JsonArray();
    all.stream().skip(skip).limit(limit)
        .forEach(r -> out.add(docs ? ActivationJson.full(r, true) : ActivationJson.summary(r)));
    ex.reply(200, out);
  }
}
