package io.marvel.whisk.platform.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.whisk.platform.settings.PlatformSettings;
import io.marvel.whisk.platform.settings.SystemLimits;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@code PUT .../actions}, each a fact of a stock OpenWhisk: exec as
 * {@code common/scala/.../core/entity/Exec.scala} reads it, limits as {@code checkActionLimits}
 * of {@code core/controller/.../controller/Actions.scala} checks them against
 * {@code whisk.memory}, {@code whisk.time-limit}, {@code whisk.log-limit} and
 * {@code whisk.concurrency-limit} of {@code common/scala/src/main/resources/application.conf},
 * with the messages of {@code common/scala/.../http/ErrorResponse.scala}.
 */
class ActionUpdateTest {
  private static final NamespaceLimits STOCK = new NamespaceLimits(
      PlatformSettings.builder(Path.of("unused")).build());

  private static JsonObject json(String s) {
    return JsonParser.parseString(s).getAsJsonObject();
  }

  private static StoredAction apply(StoredAction old, String body, long revision)
      throws ApiException {
    return ActionUpdate.apply("guest", "a", old, json(body), revision, STOCK);
  }

  private static String refusal(int status, String body) {
    ApiException e = assertThrows(ApiException.class, () -> apply(null, body, 1));
    assertEquals(status, e.status(), e.getMessage());
    return e.getMessage();
  }

  private static String javaWithLimits(String limits) {
    return "{\"exec\":{\"kind\":\"java:8\",\"main\":\"M\",\"code\":\"UEsDBA==\"},"
        + "\"limits\":" + limits + "}";
  }

  private static StoredAction create() throws ApiException {
    return apply(null, "{\"exec\":{\"kind\":\"java:default\","
        + "\"main\":\"Main\",\"code\":\"UEsDBA==\"},\"limits\":{\"memory\":512},"
        + "\"annotations\":[{\"key\":\"x\",\"value\":1}]}", 1);
  }

  @Test
  void createSetsVersionKindBinaryAndServerAnnotations() throws ApiException {
    StoredAction a = create();
    assertEquals("0.0.1", a.version());
    assertEquals("java:8", a.exec().kind());
    assertTrue(a.exec().binary());
    assertEquals(512, a.limits().memoryMb());
    assertEquals(60_000, a.limits().timeoutMs());
    String annotations = a.annotations().toString();
    assertTrue(annotations.contains("{\"key\":\"exec\",\"value\":\"java:8\"}"), annotations);
    assertTrue(annotations.contains("{\"key\":\"provide-api-key\",\"value\":false}"),
        annotations);
  }

  @Test
  void updateMergesFieldsAndBumpsThePatchVersion() throws ApiException {
    StoredAction updated = apply(create(),
        "{\"limits\":{\"timeout\":1000},\"annotations\":[{\"key\":\"y\",\"value\":2}],"
        + "\"delAnnotations\":[\"x\"]}", 2);
    assertEquals("0.0.2", updated.version());
    assertEquals(512, updated.limits().memoryMb());
    assertEquals(1000, updated.limits().timeoutMs());
    assertEquals("Main", updated.exec().main());
    String annotations = updated.annotations().toString();
    assertTrue(annotations.contains("\"y\""), annotations);
    assertFalse(annotations.contains("\"x\""), annotations);
  }

  @Test
  void unknownKindIsRefusedNamingTheKinds() {
    assertEquals("The request content was malformed:\nThe specified runtime 'nodejs:20' is not"
        + " supported by this platform. Valid values are: 'java:8', 'blackbox'.",
        refusal(400, "{\"exec\":{\"kind\":\"nodejs:20\",\"code\":\"x\"}}"));
  }

  @Test
  void javaNeedsMainAndCode() {
    assertEquals("The request content was malformed:\n'main' must be a string defined in"
        + " 'exec' for 'java:8' actions",
        refusal(400, "{\"exec\":{\"kind\":\"java:8\",\"code\":\"UEsDBA==\"}}"));
    assertEquals("The request content was malformed:\n'code' must be a string or attachment"
        + " object defined in 'exec' for 'java:8' actions",
        refusal(400, "{\"exec\":{\"kind\":\"java:8\",\"main\":\"M\"}}"));
  }

  @Test
  void createWithoutExecIsRefused() {
    assertTrue(refusal(400, "{}").contains("'exec' must be defined"));
  }

  @Test
  void blackboxNeedsAnImageAndMayCarryCodeAndMain() throws ApiException {
    assertEquals("The request content was malformed:\n'image' must be a string defined in"
        + " 'exec' for 'blackbox' actions", refusal(400, "{\"exec\":{\"kind\":\"blackbox\"}}"));
    assertEquals("The request content was malformed:\ncould not parse image name",
        refusal(400, "{\"exec\":{\"kind\":\"blackbox\",\"image\":\"Not An Image\"}}"));
    StoredAction bare = apply(null,
        "{\"exec\":{\"kind\":\" BlackBox \",\"image\":\"openwhisk/dockerskeleton\"}}", 1);
    assertEquals("{\"kind\":\"blackbox\",\"image\":\"openwhisk/dockerskeleton\","
        + "\"binary\":false}", bare.exec().toJson(true).toString());
    StoredAction withJar = apply(null, "{\"exec\":{\"kind\":\"blackbox\","
        + "\"image\":\"registry.example.com:5000/marvel/task-runtime:0.1.0\","
        + "\"main\":\"M\",\"code\":\"UEsDBA==\"}}", 2);
    assertEquals("{\"kind\":\"blackbox\",\"image\":\"registry.example.com:5000/marvel/"
        + "task-runtime:0.1.0\",\"code\":\"UEsDBA==\",\"binary\":true,\"main\":\"M\"}",
        withJar.exec().toJson(true).toString());
    assertTrue(withJar.annotations().toString().contains(
        "{\"key\":\"exec\",\"value\":\"blackbox\"}"), withJar.annotations().toString());
  }

  @Test
  void limitsOutOfTheStockRangesAreRefusedWithOpenWhisksMessages() {
    assertEquals("memory size 1024 MB exceeds allowed threshold of 512 MB",
        refusal(400, javaWithLimits("{\"memory\":1024}")));
    assertEquals("memory size 64 MB below allowed threshold of 128 MB",
        refusal(400, javaWithLimits("{\"memory\":64}")));
    assertEquals("duration 300001 milliseconds exceeds allowed threshold of 300000"
        + " milliseconds", refusal(400, javaWithLimits("{\"timeout\":300001}")));
    assertEquals("duration 50 milliseconds below allowed threshold of 100 milliseconds",
        refusal(400, javaWithLimits("{\"timeout\":50}")));
    assertEquals("log size 11 MB exceeds allowed threshold of 10 MB",
        refusal(400, javaWithLimits("{\"logs\":11}")));
    assertEquals("concurrency 2 exceeds allowed threshold of 1",
        refusal(400, javaWithLimits("{\"concurrency\":2}")));
  }

  @Test
  void stockLimitsAreTheEdgesAndTheDefaults() throws ApiException {
    StoredAction edges = apply(null,
        javaWithLimits("{\"memory\":512,\"timeout\":300000,\"logs\":0}"), 1);
    assertEquals(512, edges.limits().memoryMb());
    StoredAction plain = apply(null, "{\"exec\":{\"kind\":\"java:8\",\"main\":\"M\","
        + "\"code\":\"UEsDBA==\"}}", 2);
    assertEquals("{\"timeout\":60000,\"memory\":256,\"logs\":10,\"concurrency\":1}",
        plain.summary().get("limits").toString());
  }

  @Test
  void anOperatorsLimitsReplaceTheStockOnes() throws ApiException {
    NamespaceLimits raised = new NamespaceLimits(PlatformSettings.builder(Path.of("unused"))
        .limits(SystemLimits.STOCK.withMaxMemoryMb(4096)).poolMemoryMb(8192).build());
    StoredAction big = ActionUpdate.apply("guest", "a", null,
        json(javaWithLimits("{\"memory\":4096}")), 1, raised);
    assertEquals(4096, big.limits().memoryMb());
  }

  @Test
  void anActionLargerThanTheContainerPoolIsRefusedWithThePoolAsTheLimit() {
    NamespaceLimits small = new NamespaceLimits(PlatformSettings.builder(Path.of("unused"))
        .poolMemoryMb(384).build());
    ApiException e = assertThrows(ApiException.class, () -> ActionUpdate.apply("guest", "a",
        null, json(javaWithLimits("{\"memory\":512}")), 1, small));
    assertEquals("memory size 512 MB exceeds allowed threshold of 384 MB", e.getMessage());
    assertEquals(384, small.toJson().get("maxActionMemory").getAsInt());
  }

  @Test
  void oversizedExecAndParametersAre413() {
    String bigParam = "x".repeat(1024 * 1024);
    assertEquals("parameters larger than allowed: 1048579 > 1048576 bytes.", refusal(413,
        "{\"exec\":{\"kind\":\"java:8\",\"main\":\"M\",\"code\":\"UEsDBA==\"},"
        + "\"parameters\":[{\"key\":\"p\",\"value\":\"" + bigParam + "\"}]}"));
  }

  @Test
  void namesFollowOpenWhisksRules() throws ApiException {
    ActionUpdate.checkName("a_b-c.d@e&f g");
    ActionUpdate.checkName("x");
    for (String bad : new String[] {"-a", "a ", "a/b", "a".repeat(257)}) {
      ApiException e = assertThrows(ApiException.class, () -> ActionUpdate.checkName(bad));
      assertEquals(400, e.status());
    }
  }
}
