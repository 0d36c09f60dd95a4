package io.marvel.whisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.whisk.client.NamespaceLimits.Range;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading {@code GET .../limits} as the controllers of OpenWhisk's releases answer it. */
class NamespaceLimitsTest {

  private ScriptedWhiskServer server;
  private WhiskClient client;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedWhiskServer();
    client = WhiskClient.create(server.settings()
        .withRetries(1, Duration.ofMillis(5), Duration.ofMillis(10)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * A 2.0 controller ({@code core/controller/.../controller/Limits.scala}) fills in every action
   * limit of {@code UserLimits} ({@code common/scala/.../core/entity/Identity.scala}): memory and
   * logs in MB, the time limit in ms (the serdes of {@code MemoryLimit.scala},
   * {@code LogLimit.scala}, {@code TimeLimit.scala} write whole numbers), the parameter size as
   * a {@code ByteSize} string ({@code Size.scala}); fields it does not know are ignored.
   */
  @Test
  void readsAnOpenWhisk2ControllersLimits() throws IOException {
    server.then(200, "{\"invocationsPerMinute\":60,\"concurrentInvocations\":30,"
        + "\"firesPerMinute\":60,\"allowedKinds\":[\"blackbox\"],\"minActionMemory\":128,"
        + "\"maxActionMemory\":512,\"minActionLogs\":0,\"maxActionLogs\":10,"
        + "\"minActionTimeout\":100,\"maxActionTimeout\":300000,\"minActionConcurrency\":1,"
        + "\"maxActionConcurrency\":1,\"maxParameterSize\":\"1048576 B\","
        + "\"maxActionInstances\":30}");
    NamespaceLimits limits = client.namespaceLimits().orElseThrow();
    assertEquals(NamespaceLimits.STOCK, limits);
    assertEquals(Optional.of(new Range(128, 512)), limits.memoryMb());
    assertEquals(List.of("GET /api/v1/namespaces/_/limits"), server.requests());
  }

  /** 1.0 sends only the three throttles (Limits.scala at the 1.0.0 tag). */
  @Test
  void anOpenWhisk1ControllerReportsNoActionLimits() throws IOException {
    server.then(200, "{\"invocationsPerMinute\":120,\"concurrentInvocations\":100,"
        + "\"firesPerMinute\":60}");
    NamespaceLimits limits = client.namespaceLimits().orElseThrow();
    assertEquals(OptionalLong.of(100), limits.concurrentInvocations());
    assertEquals(Optional.empty(), limits.memoryMb());
    assertEquals(Optional.empty(), limits.timeoutMs());
    assertEquals(Optional.empty(), limits.concurrency());
  }

  /** The route came in 2020 (apache/openwhisk#4899), before 1.0; older controllers 404. */
  @Test
  void noLimitsRouteIsEmpty() throws IOException {
    server.then(404, ScriptedWhiskServer.error("The requested resource does not exist."));
    assertEquals(Optional.empty(), client.namespaceLimits());
  }

  @Test
  void aReplyThatIsNotOpenWhisksLimitsIsNamed() {
    server.then(200, "{\"concurrentInvocations\":30,\"maxActionMemory\":\"512 MB\","
        + "\"minActionMemory\":128}");
    WhiskException e = assertThrows(WhiskException.class, client::namespaceLimits);
    assertTrue(e.getMessage().startsWith("read the namespace's limits: the reply from GET "
        + server.apiHost() + "/api/v1/namespaces/_/limits is not OpenWhisk's limits object:"
        + " its maxActionMemory is \"512 MB\", not a whole number"), e.getMessage());

    server.then(200, "{\"maxActionTimeout\":300000}");
    e = assertThrows(WhiskException.class, client::namespaceLimits);
    assertTrue(e.getMessage().endsWith("it has maxActionTimeout without minActionTimeout"),
        e.getMessage());

    server.then(200, "<html>proxy login</html>");
    e = assertThrows(WhiskException.class, client::namespaceLimits);
    assertTrue(e.getMessage().contains("is not JSON; is the apihost an OpenWhisk API?"),
        e.getMessage());
  }
}
