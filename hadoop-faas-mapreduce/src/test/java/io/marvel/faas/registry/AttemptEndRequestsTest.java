package io.marvel.faas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttemptEndRequestsTest {
  private static final String JOB = "job_faas7_0003";
  private static final String MAP = "attempt_faas7_0003_m_000001_0";
  private static final String REDUCE = "attempt_faas7_0003_r_000000_2";
  private static final String OTHER_JOB = "attempt_faas7_0004_m_000000_0";

  @TempDir
  Path dir;

  @Test
  void theCoordinatorTakesItsJobsRequestsOnceAndAnswersThem() throws IOException {
    AttemptEndRequests requests = new AttemptEndRequests(new JobRegistry(dir));
    assertTrue(requests.request(MAP, false));
    assertFalse(requests.request(MAP, false), "one request per attempt waits");
    assertTrue(requests.request(REDUCE, true));
    assertTrue(requests.request(OTHER_JOB, false));

    List<AttemptEndRequests.Request> taken = requests.take(JOB);
    assertEquals(2, taken.size(), taken::toString);
    assertTrue(taken.contains(new AttemptEndRequests.Request(MAP, false)));
    assertTrue(taken.contains(new AttemptEndRequests.Request(REDUCE, true)));
    assertEquals(List.of(), requests.take(JOB), "taken once");

    assertEquals(Optional.empty(), requests.takeAnswer(MAP));
    requests.answer(MAP, true);
    requests.answer(REDUCE, false);
    assertEquals(Optional.of(true), requests.takeAnswer(MAP));
    assertEquals(Optional.of(false), requests.takeAnswer(REDUCE));
    assertEquals(Optional.empty(), requests.takeAnswer(MAP), "an answer is read once");
  }

  @Test
  void aRequestNobodyTookCanBeWithdrawn() throws IOException {
    AttemptEndRequests requests = new AttemptEndRequests(new JobRegistry(dir));
    requests.request(MAP, true);
    assertTrue(requests.withdraw(MAP));
    assertFalse(requests.withdraw(MAP));
    assertEquals(List.of(), requests.take(JOB));
  }
}
