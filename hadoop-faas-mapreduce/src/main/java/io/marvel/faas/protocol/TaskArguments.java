package io.marvel.faas.protocol;

import com.google.gson.JsonObject;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import java.util.Objects;

/**
 * The parameters of one task activation. They carry identifiers and locations only, never
 * secrets: credentials are read by the task from the token file in the job's staging dir.
 *
 * @param jobId the Hadoop job id, e.g. {@code job_1700000000000_0001}
 * @param attemptId the task attempt id, e.g. {@code attempt_1700000000000_0001_m_000003_1}
 * @param kind map or reduce
 * @param partition the task index: split index for a map, partition for a reduce
 * @param user the submitting user the task runs as
 * @param jobSubmitDir fully qualified staging dir of the job (job.xml, job.jar, job.split)
 * @param splitLocation fully qualified path of job.split, null for a reduce
 * @param splitOffset offset of this map's split in job.split in bytes, 0 for a reduce
 * @param numMaps number of map tasks of the job
 * @param numReduces number of reduce tasks of the job
 * @param store where map outputs are published and read
 */
public record TaskArguments(String jobId, String attemptId, TaskKind kind, int partition,
    String user, String jobSubmitDir, String splitLocation, long splitOffset, int numMaps,
    int numReduces, StoreLocation store) {
  /**
   * Name of the file in the job's staging dir holding the job's credentials, written by the
   * coordinator with permissions 600 and read by the task.
   */
  public static final String CREDENTIALS_FILE = "faas-tokens";

  /** Validates the fields that every task needs. */
  public TaskArguments {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(attemptId, "attemptId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(jobSubmitDir, "jobSubmitDir");
    Objects.requireNonNull(store, "store");
    if (kind == TaskKind.MAP && splitLocation == null) {
      throw new IllegalArgumentException("map attempt " + attemptId + " has no split location");
    }
    if (partition < 0 || numMaps < 0 || numReduces < 0 || splitOffset < 0) {
      throw new IllegalArgumentException("negative index or count in arguments of " + attemptId);
    }
  }

  /** @return the JSON object passed as the activation's parameters */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("jobId", jobId);
    json.addProperty("attemptId", attemptId);
    json.addProperty("kind", kind.name());
    json.addProperty("partition", partition);
    json.addProperty("user", user);
    json.addProperty("jobSubmitDir", jobSubmitDir);
    if (splitLocation != null) {
      json.addProperty("splitLocation", splitLocation);
    }
    json.addProperty("splitOffset", splitOffset);
    json.addProperty("numMaps", numMaps);
    json.addProperty("numReduces", numReduces);
    json.addProperty("storeKind", store.kind().configName());
    json.addProperty("storeRoot", store.root());
    return json;
  }

  /**
   * @param json activation parameters as produced by {@link #toJson()}; extra members (such as
   *     those a platform adds) are ignored
   * @return the arguments
   * @throws IllegalArgumentException naming a missing or malformed member
   */
  public static TaskArguments fromJson(JsonObject json) {
    String kindName = JsonFields.string(json, "kind");
    TaskKind kind;
    try {
      kind = TaskKind.valueOf(kindName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("action JSON member 'kind' must be MAP or REDUCE, got '"
          + kindName + "'", e);
    }
    return new TaskArguments(JsonFields.string(json, "jobId"),
        JsonFields.string(json, "attemptId"), kind, JsonFields.intValue(json, "partition"),
        JsonFields.string(json, "user"), JsonFields.string(json, "jobSubmitDir"),
        JsonFields.optionalString(json, "splitLocation"),
        JsonFields.longValue(json, "splitOffset"), JsonFields.intValue(json, "numMaps"),
        JsonFields.intValue(json, "numReduces"),
        new StoreLocation(StoreKind.fromConfigName(JsonFields.string(json, "storeKind")),
            JsonFields.string(json, "storeRoot")));
  }
}
