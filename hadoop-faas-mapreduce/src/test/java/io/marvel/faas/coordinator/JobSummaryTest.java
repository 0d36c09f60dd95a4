package io.marvel.faas.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.marvel.faas.launcher.ActivationOutcome;
import io.marvel.faas.launcher.WarmUpResult;
import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.protocol.TaskKind;
import io.marvel.faas.protocol.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSummaryTest {
  private static final String ACTIVATION = "0123456789abcdef0123456789abcdef";
  private static final Path MAP_LOG =
      Path.of("/summaries/job_1_0001.logs/attempt_1_0001_m_000000_0.log");

  private static List<AttemptRecord> attempts() {
    TaskResult map = new TaskResult("attempt_1_0001_m_000000_0", true, "",
        Map.of(FaasCounter.class.getName(), Map.of("STORE_MAP_OUTPUT_BYTES", 100L),
            "org.apache.hadoop.mapreduce.FileSystemCounter", Map.of("HDFS_BYTES_READ", 50L)),
        "c-7-x", false, true, 1_010, 1_200, "host-2", -1, false);
    AttemptRecord ok = AttemptRecord.of(TaskKind.MAP, 0, map.attemptId(), 1_000,
        new ActivationOutcome.Completed(ACTIVATION, map)).withLog(MAP_LOG);
    AttemptRecord lost = AttemptRecord.of(TaskKind.REDUCE, 0, "attempt_1_0001_r_000000_0",
        1_300, new ActivationOutcome.Failed("none", "container <died>"));
    return List.of(ok, lost);
  }

  @Test
  void summaryListsEveryAttemptWithActivationContainerAndBytes() {
    JsonObject json = JobSummary.json("job_1_0001", "SUCCEEDED", 1_000, 2_000, attempts());
    JsonObject first = json.getAsJsonArray("attempts").get(0).getAsJsonObject();
    assertEquals(ACTIVATION, first.get("activationId").getAsString());
    assertEquals("cold", first.get("containerState").getAsString());
    assertEquals("host-2", first.get("host").getAsString());
    assertEquals("miss", first.get("jobCache").getAsString());
    assertEquals(50, first.get("bytesIn").getAsLong());
    assertEquals(100, first.get("bytesOut").getAsLong());
    assertEquals("SUCCEEDED", first.get("state").getAsString());
    assertEquals(MAP_LOG.toString(), first.get("log").getAsString());
    JsonObject second = json.getAsJsonArray("attempts").get(1).getAsJsonObject();
    assertEquals("container <died>", second.get("diagnostics").getAsString());
    assertEquals("FAILED", second.get("state").getAsString());
    assertTrue(!second.has("log"), "an attempt without an activation has no log");
  }

  @Test
  void warmUpsAreListedApartFromTheAttempts() {
    JsonObject json = JobSummary.json("job_1_0001", "SUCCEEDED", 1_000, 2_000, attempts(),
        List.of(new WarmUpResult("w1", "c-7", 900, true, "12 classes loaded in 40 ms"),
            WarmUpResult.failed("none", 0, "platform unreachable")));
    assertEquals(2, json.getAsJsonArray("attempts").size());
    JsonObject warm = json.getAsJsonArray("warmUps").get(0).getAsJsonObject();
    assertEquals("w1", warm.get("activationId").getAsString());
    assertEquals("c-7", warm.get("container").getAsString());
    assertEquals(900, warm.get("durationMs").getAsLong());
    assertTrue(warm.get("succeeded").getAsBoolean());
    JsonObject failed = json.getAsJsonArray("warmUps").get(1).getAsJsonObject();
    assertEquals("platform unreachable", failed.get("detail").getAsString());
    assertEquals(0, JobSummary.json("job_1_0001", "SUCCEEDED", 1_000, 2_000, attempts())
        .getAsJsonArray("warmUps").size());
  }

  @Test
  void writesJsonAndEscapedHtmlTimeline(@TempDir Path dir) throws Exception {
    List<AttemptRecord> attempts = attempts();
    Path timeline = JobSummary.write(dir, JobSummary.json("job_1_0001", "SUCCEEDED", 1_000,
        2_000, attempts), attempts);
    assertTrue(Files.exists(dir.resolve("job_1_0001.json")));
    String html = Files.readString(timeline);
    assertTrue(html.contains("<svg") && html.contains(ACTIVATION), html);
    assertTrue(html.contains("1_0001_r_000000_0") && html.contains("FAILED"), html);
    assertTrue(!html.contains("<died>"), "diagnostics are not injected into the page");
    assertTrue(html.contains("<a href='job_1_0001.logs/attempt_1_0001_m_000000_0.log'>"),
        "the map's bar links to its log, relative to the summary dir: " + html);
  }

  @Test
  void anAttemptWithoutATaskResultSaysWhatHappenedNotAContainer() {
    AttemptRecord killed = new AttemptRecord(TaskKind.MAP, 1, "attempt_1_0001_m_000001_0",
        "none", "", "", false, false, 1_000, 1_000, 2_234, 1_234, AttemptState.KILLED,
        "attempt killed with its job", Map.of(), "");
    assertEquals("attempt_1_0001_m_000001_0 KILLED 1234 ms after launch, before its activation"
        + " returned (no activation record), no container known: attempt killed with its job",
        JobSummary.title(killed));
    AttemptRecord died = new AttemptRecord(TaskKind.REDUCE, 0, "attempt_1_0001_r_000000_0",
        ACTIVATION, "", "", false, false, 1_000, 1_000, 1_500, 500, AttemptState.FAILED,
        "activation " + ACTIVATION + ": the container process died\nTask log: /x.log", Map.of(),
        "/x.log");
    assertEquals("attempt_1_0001_r_000000_0 FAILED 500 ms after launch, in activation "
        + ACTIVATION + ", which returned no task result, no container known: activation "
        + ACTIVATION + ": the container process died", JobSummary.title(died));
    JsonObject entry = JobSummary.json("job_1_0001", "KILLED", 1_000, 3_000, List.of(killed))
        .getAsJsonArray("attempts").get(0).getAsJsonObject();
    assertEquals("none", entry.get("containerState").getAsString());
    assertEquals("none", entry.get("jobCache").getAsString());
    assertEquals("attempt_1_0001_m_000000_0 activation " + ACTIVATION + " container c-7-x"
        + " on host-2 (cold), job localized, 190 ms, in 50 B, out 100 B",
        JobSummary.title(attempts().get(0)).replaceAll(", \\d+ ms", ", 190 ms"));
  }
}
