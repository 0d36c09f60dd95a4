package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.marvel.whisk.client.Activation;
import io.marvel.whisk.client.ActivationStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationCostTest {
  private static Activation record(String id, int memoryMb, long start, long end) {
    JsonObject limits = new JsonObject();
    limits.addProperty("timeout", 60000);
    limits.addProperty("memory", memoryMb);
    Map<String, JsonElement> annotations = Map.of("limits", limits, "waitTime",
        new JsonPrimitive(3));
    return new Activation(id, "guest", "task", start, end, ActivationStatus.SUCCESS,
        new JsonObject(), List.of(), annotations);
  }

  @Test
  void sumsMemoryTimesDurationOverActivationsInGibSeconds() {
    // 512 MiB for 4 s = 2 GiB-s; 1024 MiB for 1.5 s = 1.5 GiB-s; 256 MiB for 0.5 s = 0.125.
    List<Activation> records = List.of(record("a", 512, 10_000, 14_000),
        record("b", 1024, 20_000, 21_500), record("c", 256, 30_000, 30_500));
    assertEquals(3.625, ActivationCost.gbSeconds(records), 1e-9);
    assertEquals(0.0, ActivationCost.gbSeconds(List.of()));
  }

  @Test
  void aRecordWithoutItsMemoryLimitIsRejectedNamingTheActivation() {
    Activation bare = new Activation("abc", "guest", "task", 0, 1000, ActivationStatus.SUCCESS,
        new JsonObject(), List.of(), Map.of());
    assertEquals("activation abc has no limits.memory annotation: {}",
        assertThrows(IllegalArgumentException.class,
            () -> ActivationCost.gbSeconds(List.of(bare))).getMessage());
  }

  @Test
  void theJobsActivationsAreEveryAttemptOfItsSummaryThatHasOne(@TempDir Path dir)
      throws Exception {
    Path summary = dir.resolve("job_1_0001.json");
    Files.writeString(summary, "{\"jobId\":\"job_1_0001\",\"attempts\":["
        + "{\"attemptId\":\"m0\",\"activationId\":\"aa\",\"state\":\"SUCCEEDED\"},"
        + "{\"attemptId\":\"m1\",\"activationId\":\"bb\",\"state\":\"FAILED\"},"
        + "{\"attemptId\":\"m1b\",\"activationId\":\"\",\"state\":\"KILLED\"},"
        + "{\"attemptId\":\"r0\",\"activationId\":\"cc\",\"state\":\"SUCCEEDED\"}]}");
    assertEquals(List.of("aa", "bb", "cc"), ActivationCost.activationIds(summary));
  }
}
