package io.marvel.faas.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a task activation returns: outcome, diagnostics, counters and where and when it ran.
 *
 * @param attemptId the task attempt id
 * @param succeeded true when the task finished and its output is committed or published
 * @param diagnostics the failure (exception class, message, stack trace), empty on success
 * @param counters counter values by group name, then counter name
 * @param container identifier of the container (JVM) that ran the task
 * @param warm true when the container already had this job cached (conf, jar, class loader)
 * @param coldContainer true when this was the first activation its container (JVM) served
 * @param startMs wall-clock start of the task inside the container, epoch milliseconds
 * @param endMs wall-clock end of the task inside the container, epoch milliseconds
 * @param host the host the task ran on ({@link TaskHost})
 * @param lostMapOutput for a failed reduce, the map whose stored output no host holds any more
 *     (the map must run again); -1 otherwise
 * @param failsJob true when the failure fails the job at once, since no other attempt can do
 *     better (the job's state is not on this host)
 */
public record TaskResult(String attemptId, boolean succeeded, String diagnostics,
    Map<String, Map<String, Long>> counters, String container, boolean warm,
    boolean coldContainer, long startMs, long endMs, String host, int lostMapOutput,
    boolean failsJob) {

  /** Validates and freezes the fields. */
  public TaskResult {
    Objects.requireNonNull(attemptId, "attemptId");
    Objects.requireNonNull(diagnostics, "diagnostics");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(host, "host");
    counters = freeze(Objects.requireNonNull(counters, "counters"));
  }

  /**
   * @param group counter group name
   * @param name counter name
   * @return the value, 0 when absent
   */
  public long counter(String group, String name) {
    return counters.getOrDefault(group, Map.of()).getOrDefault(name, 0L);
  }

  /** @return the JSON object returned by the action */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("attemptId", attemptId);
    json.addProperty("succeeded", succeeded);
    json.addProperty("diagnostics", diagnostics);
    JsonObject groups = new JsonObject();
    counters.forEach((group, values) -> {
      JsonObject members = new JsonObject();
      values.forEach(members::addProperty);
      groups.add(group, members);
    });
    json.add("counters", groups);
    json.addProperty("container", container);
    json.addProperty("warm", warm);
    json.addProperty("coldContainer", coldContainer);
    json.addProperty("startMs", startMs);
    json.addProperty("endMs", endMs);
    json.addProperty("host", host);
    json.addProperty("lostMapOutput", lostMapOutput);
    json.addProperty("failsJob", failsJob);
    return json;
  }

  /**
   * @param json an action result as produced by {@link #toJson()}
   * @return the result
   * @throws IllegalArgumentException naming a missing or malformed member
   */
  public static TaskResult fromJson(JsonObject json) {
    Map<String, Map<String, Long>> counters = new TreeMap<>();
    for (Map.Entry<String, JsonElement> group : JsonFields.object(json, "counters").entrySet()) {
      if (!group.getValue().isJsonObject()) {
        throw new IllegalArgumentException("counter group '" + group.getKey()
            + "' is not an object");
      }
      Map<String, Long> values = new TreeMap<>();
      JsonObject members = group.getValue().getAsJsonObject();
      for (String name : members.keySet()) {
        values.put(name, JsonFields.longValue(members, name));
      }
      counters.put(group.getKey(), values);
    }
    return new TaskResult(JsonFields.string(json, "attemptId"),
        JsonFields.bool(json, "succeeded"), JsonFields.string(json, "diagnostics"), counters,
        JsonFields.string(json, "container"), JsonFields.bool(json, "warm"),
        JsonFields.bool(json, "coldContainer"),
        JsonFields.longValue(json, "startMs"), JsonFields.longValue(json, "endMs"),
        JsonFields.string(json, "host"), JsonFields.intValue(json, "lostMapOutput"),
        JsonFields.bool(json, "failsJob"));
  }

  private static Map<String, Map<String, Long>> freeze(Map<String, Map<String, Long>> in) {
    Map<String, Map<String, Long>> copy = new TreeMap<>();
    in.forEach((group, values) -> copy.put(group,
        Collections.unmodifiableMap(new TreeMap<>(values))));
    return Collections.unmodifiableMap(copy);
  }
}
