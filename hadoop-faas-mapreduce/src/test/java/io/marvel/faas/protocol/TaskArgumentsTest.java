package io.marvel.faas.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskArgumentsTest {
  private static TaskArguments map() {
    return new TaskArguments("job_1_0001", "attempt_1_0001_m_000003_1", TaskKind.MAP, 3, "alice",
        "hdfs://nn/staging/alice/.staging/job_1_0001", "hdfs://nn/x/job.split", 42, 5, 2,
        new StoreLocation(StoreKind.PMEM, "/dev/shm/state"));
  }

  @Test
  void roundTripsThroughJson() {
    assertEquals(map(), TaskArguments.fromJson(map().toJson()));
    TaskArguments reduce = new TaskArguments("job_1_0001", "attempt_1_0001_r_000000_0",
        TaskKind.REDUCE, 0, "alice", "file:/s", null, 0, 5, 2,
        new StoreLocation(StoreKind.HDFS, "hdfs://nn/state"));
    assertEquals(reduce, TaskArguments.fromJson(reduce.toJson()));
  }

  @Test
  void ignoresMembersAPlatformAdds() {
    JsonObject json = map().toJson();
    json.addProperty("__ow_method", "post");
    assertEquals(map(), TaskArguments.fromJson(json));
  }

  @Test
  void rejectsMissingMemberNamingIt() {
    JsonObject json = map().toJson();
    json.remove("jobSubmitDir");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TaskArguments.fromJson(json));
    assertEquals("action JSON lacks required member 'jobSubmitDir'", e.getMessage());
  }

  @Test
  void rejectsUnknownKindAndStore() {
    JsonObject json = map().toJson();
    json.addProperty("kind", "SHUFFLE");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskArguments.fromJson(json))
        .getMessage().contains("must be MAP or REDUCE, got 'SHUFFLE'"));
    JsonObject store = map().toJson();
    store.addProperty("storeKind", "s3");
    assertEquals("unknown state store 's3', expected one of: pmem, hdfs",
        assertThrows(IllegalArgumentException.class, () -> TaskArguments.fromJson(store))
            .getMessage());
  }

  @Test
  void rejectsMapWithoutSplit() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TaskArguments("j", "a", TaskKind.MAP, 0, "u", "d", null, 0, 1, 1,
            new StoreLocation(StoreKind.PMEM, "/x")));
    assertEquals("map attempt a has no split location", e.getMessage());
  }

  @Test
  void resultRoundTripsWithCounters() {
    TaskResult result = new TaskResult("attempt_1_0001_m_000003_1", false, "boom",
        Map.of("g", Map.of("c", 7L)), "c-1-abc", true, false, 10, 20, "h1", 3, true);
    TaskResult back = TaskResult.fromJson(result.toJson());
    assertEquals(result, back);
    assertEquals(7, back.counter("g", "c"));
    assertEquals(0, back.counter("g", "missing"));
  }

  @Test
  void resultRejectsNonNumericCounter() {
    JsonObject json = new TaskResult("a", true, "", Map.of("g", Map.of("c", 1L)), "c", false, true,
        0, 0, "h", -1, false).toJson();
    json.getAsJsonObject("counters").getAsJsonObject("g").addProperty("c", "many");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskResult.fromJson(json))
        .getMessage().contains("member 'c' is not a number"));
  }
}
