package io.marvel.whisk.platform.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class ActionUpdateTest {
  private static JsonObject json(String s) {
    return JsonParser.parseString(s).getAsJsonObject();
  }

  private static StoredAction create() throws ApiException {
    return ActionUpdate.apply("guest", "a", null, json("{\"exec\":{\"kind\":\"java:default\","
        + "\"main\":\"Main\",\"code\":\"UEsDBA==\"},\"limits\":{\"memory\":512},"
        + "\"annotations\":[{\"key\":\"x\",\"value\":1}]}"), 1);
  }

  @Test
  void createSetsVersionKindBinaryAndServerAnnotations() throws ApiException {
    StoredAction a = create();
    assertEquals("0.0.1", a.version());
    assertEquals("java:8", a.kind());
    assertTrue(a.binary());
    assertEquals(512, a.limits().memoryMb());
    assertEquals(60_000, a.limits().timeoutMs());
    String annotations = a.annotations().toString();
    assertTrue(annotations.contains("{\"key\":\"exec\",\"value\":\"java:8\"}"), annotations);
    assertTrue(annotations.contains("{\"key\":\"provide-api-key\",\"value\":false}"),
        annotations);
  }

  @Test
  void updateMergesFieldsAndBumpsThePatchVersion() throws ApiException {
    StoredAction updated = ActionUpdate.apply("guest", "a", create(), json(
        "{\"limits\":{\"timeout\":1000},\"annotations\":[{\"key\":\"y\",\"value\":2}],"
        + "\"delAnnotations\":[\"x\"]}"), 2);
    assertEquals("0.0.2", updated.version());
    assertEquals(512, updated.limits().memoryMb());
    assertEquals(1000, updated.limits().timeoutMs());
    assertEquals("Main", updated.main());
    String annotations = updated.annotations().toString();
    assertTrue(annotations.contains("\"y\""), annotations);
    assertFalse(annotations.contains("\"x\""), annotations);
  }

  @Test
  void unknownKindIsRefusedNamingTheKinds() {
    ApiException e = assertThrows(ApiException.class, () -> ActionUpdate.apply("guest", "a",
        null, json("{\"exec\":{\"kind\":\"nodejs:20\",\"code\":\"x\"}}"), 1));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("kind 'nodejs:20' not in Set(java:8)"), e.getMessage());
  }

  @Test
  void javaNeedsMain() {
    ApiException e = assertThrows(ApiException.class, () -> ActionUpdate.apply("guest", "a",
        null, json("{\"exec\":{\"kind\":\"java:8\",\"code\":\"UEsDBA==\"}}"), 1));
    assertTrue(e.getMessage().contains("'main' is required"), e.getMessage());
  }

  @Test
  void createWithoutExecIsRefused() {
    ApiException e = assertThrows(ApiException.class,
        () -> ActionUpdate.apply("guest", "a", null, json("{}"), 1));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("'exec' must be defined"), e.getMessage());
  }

  @Test
  void outOfRangeLimitsNameTheField() {
    ApiException e = assertThrows(ApiException.class, () -> ActionUpdate.apply("guest", "a",
        null, json("{\"exec\":{\"kind\":\"java:8\",\"main\":\"M\",\"code\":\"UEsDBA==\"},"
            + "\"limits\":{\"timeout\":50}}"), 1));
    assertTrue(e.getMessage().contains("duration 50 milliseconds is out of range"),
        e.getMessage());
    e = assertThrows(ApiException.class, () -> ActionUpdate.apply("guest", "a", null, json(
        "{\"exec\":{\"kind\":\"java:8\",\"main\":\"M\",\"code\":\"UEsDBA==\"},"
        + "\"limits\":{\"memory\":64}}"), 1));
    assertTrue(e.getMessage().contains("memory 64 MB is out of range"), e.getMessage());
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
