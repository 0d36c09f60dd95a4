package io.marvel.faas.registry;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;
import org.apache.hadoop.mapreduce.TaskReport;

/**
 * The JSON form of a {@link JobSnapshot}, the content of a job's {@code <jobId>.status} file.
 * Readable by people ({@code cat} it) except the task details, which are base64 of Hadoop's
 * Writable form. A {@code version} member lets a later format be told apart.
 */
final class SnapshotJson {
  static final int VERSION = 1;

  private SnapshotJson() {
  }

  /** @return the snapshot as pretty-printed JSON */
  static String write(JobSnapshot s) {
    JsonObject json = new JsonObject();
    json.addProperty("version", VERSION);
    json.addProperty("jobId", s.jobId());
    json.addProperty("jobName", s.jobName());
    json.addProperty("user", s.user());
    json.addProperty("state", s.state().name());
    JobStatus status = s.status();
    json.addProperty("setupProgress", status.getSetupProgress());
    json.addProperty("mapProgress", s.mapProgress());
    json.addProperty("reduceProgress", s.reduceProgress());
    json.addProperty("cleanupProgress", status.getCleanupProgress());
    json.addProperty("startMs", s.startMs());
    json.addProperty("finishMs", s.finishMs());
    json.addProperty("failureInfo", s.failureInfo());
    json.addProperty("trackingUrl", s.trackingUrl());
    json.addProperty("jobFile", s.jobFile());
    json.addProperty("coordinatorPid", s.coordinator().pid());
    json.addProperty("coordinatorStartMs", s.coordinator().startMs());
    json.addProperty("heartbeatMs", s.heartbeatMs());
    JsonObject groups = new JsonObject();
    s.counters().forEach((group, values) -> {
      JsonObject counters = new JsonObject();
      values.forEach(counters::addProperty);
      groups.add(group, counters);
    });
    json.add("counters", groups);
    if (s.tasks() != null) {
      JsonObject tasks = new JsonObject();
      tasks.addProperty("mapReports", TaskDetails.encode(s.tasks().maps()));
      tasks.addProperty("reduceReports", TaskDetails.encode(s.tasks().reduces()));
      tasks.addProperty("completionEvents", TaskDetails.encode(s.tasks().events()));
      json.add("tasks", tasks);
    }
    return new GsonBuilder().setPrettyPrinting().create().toJson(json);
  }

  /**
   * @param text what {@link #write} wrote
   * @return the snapshot
   * @throws IOException if the text is not a status snapshot of this version, naming why
   */
  static JobSnapshot read(String text) throws IOException {
    try {
      JsonObject json = JsonParser.parseString(text).getAsJsonObject();
      long version = number(json, "version").longValue();
      if (version != VERSION) {
        throw new IOException("status format version " + version + ", this client reads "
            + VERSION);
      }
      // Parsed now so that a bad id is refused here, not when a status is made of it.
      JobID.forName(string(json, "jobId"));
      return new JobSnapshot(string(json, "jobId"), string(json, "jobName"),
          string(json, "user"), JobStatus.State.valueOf(string(json, "state")),
          number(json, "mapProgress").floatValue(), number(json, "reduceProgress").floatValue(),
          number(json, "startMs").longValue(), number(json, "finishMs").longValue(),
          string(json, "failureInfo"), string(json, "trackingUrl"), string(json, "jobFile"),
          new Coordinator(number(json, "coordinatorPid").longValue(),
              number(json, "coordinatorStartMs").longValue()),
          number(json, "heartbeatMs").longValue(), counters(member(json, "counters")
              .getAsJsonObject()), tasks(json.get("tasks")));
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
      // Gson's way of saying a member has another type than expected.
      throw new IOException("not a job status snapshot: " + e, e);
    } catch (IllegalArgumentException e) {
      throw new IOException("not a job status snapshot: " + e.getMessage(), e);
    }
  }

  private static JsonElement member(JsonObject json, String key) {
    JsonElement element = json.get(key);
    if (element == null || element.isJsonNull()) {
      throw new IllegalArgumentException("member '" + key + "' is missing");
    }
    return element;
  }

  private static String string(JsonObject json, String key) {
    return member(json, key).getAsString();
  }

  private static Number number(JsonObject json, String key) {
    return member(json, key).getAsNumber();
  }

  private static Map<String, Map<String, Long>> counters(JsonObject groups) {
    Map<String, Map<String, Long>> result = new TreeMap<>();
    for (Map.Entry<String, JsonElement> group : groups.entrySet()) {
      Map<String, Long> values = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> c : group.getValue().getAsJsonObject().entrySet()) {
        values.put(c.getKey(), c.getValue().getAsLong());
      }
      result.put(group.getKey(), values);
    }
    return result;
  }

  private static TaskDetails tasks(JsonElement element) throws IOException {
    if (element == null || element.isJsonNull()) {
      return null;
    }
    JsonObject tasks = element.getAsJsonObject();
    return new TaskDetails(
        TaskDetails.decode(string(tasks, "mapReports"), TaskReport::new, new TaskReport[0]),
        TaskDetails.decode(string(tasks, "reduceReports"), TaskReport::new, new TaskReport[0]),
        TaskDetails.decode(string(tasks, "completionEvents"), TaskCompletionEvent::new,
            new TaskCompletionEvent[0]));
  }
}
