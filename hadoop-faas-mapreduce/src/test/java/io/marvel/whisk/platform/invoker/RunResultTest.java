package io.marvel.whisk.platform.invoker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.whisk.client.ActivationStatus;
import org.junit.jupiter.api.Test;

/** Classification of runtime replies, as OpenWhisk's processRunResponseContent. */
class RunResultTest {
  @Test
  void objectWithoutErrorIsSuccess() {
    RunResult r = RunResult.ofRun(200, "{\"a\":1}");
    assertEquals(ActivationStatus.SUCCESS, r.status());
    assertEquals(7, r.size());
  }

  @Test
  void arrayIsSuccess() {
    assertEquals(ActivationStatus.SUCCESS, RunResult.ofRun(200, "[1,2]").status());
  }

  @Test
  void objectWithErrorIsApplicationError() {
    RunResult r = RunResult.ofRun(200, "{\"error\":\"bad\",\"x\":1}");
    assertEquals(ActivationStatus.APPLICATION_ERROR, r.status());
    assertEquals("{\"error\":\"bad\"}", r.result().toString());
  }

  @Test
  void non200IsDeveloperErrorWithItsErrorValue() {
    RunResult r = RunResult.ofRun(502, "{\"error\":\"exception\"}");
    assertEquals(ActivationStatus.DEVELOPER_ERROR, r.status());
    assertEquals("exception", r.result().getAsJsonObject().get("error").getAsString());
  }

  @Test
  void scalarOrNonJsonIsDeveloperError() {
    for (String body : new String[] {"42", "not json", ""}) {
      RunResult r = RunResult.ofRun(200, body);
      assertEquals(ActivationStatus.DEVELOPER_ERROR, r.status(), body);
      assertTrue(r.result().getAsJsonObject().get("error").getAsString()
          .startsWith("The action did not produce a valid JSON response"), body);
    }
  }

  @Test
  void oversizedResultIsApplicationErrorNamingTheLimit() {
    String big = "{\"a\":\"" + "x".repeat(RunResult.MAX_RESULT_BYTES) + "\"}";
    RunResult r = RunResult.ofRun(200, big);
    assertEquals(ActivationStatus.APPLICATION_ERROR, r.status());
    assertTrue(r.result().getAsJsonObject().get("error").getAsString()
        .contains("exceeded the allowed length"));
  }

  @Test
  void initFailureKeepsTheRuntimesMessage() {
    RunResult r = RunResult.ofInitFailure("{\"error\":\"class not found\"}");
    assertEquals(ActivationStatus.DEVELOPER_ERROR, r.status());
    assertEquals("class not found", r.result().getAsJsonObject().get("error").getAsString());
  }
}
