package io.marvel.whisk.platform.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.marvel.whisk.client.ActivationStatus;
import io.marvel.whisk.platform.invoker.ActivationRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivationStoreTest {
  private static ActivationRecord record(String id, String name, long start) {
    return new ActivationRecord(id, "guest", name, "s", "0.0.1", start, start + 1,
        ActivationStatus.SUCCESS, new JsonObject(), 2, List.of(), new JsonArray());
  }

  @Test
  void dropsTheOldestBeyondItsCapacity() {
    ActivationStore store = new ActivationStore(2);
    store.add(record("1", "a", 1));
    store.add(record("2", "a", 2));
    store.add(record("3", "a", 3));
    assertEquals(2, store.size());
    assertTrue(store.get("1").isEmpty());
    assertTrue(store.get("3").isPresent());
  }

  @Test
  void queriesNewestFirstWithFilters() {
    ActivationStore store = new ActivationStore(10);
    store.add(record("1", "a", 10));
    store.add(record("2", "b", 20));
    store.add(record("3", "a", 30));
    assertEquals(List.of("3", "1"), store.query("guest", "a", 0, Long.MAX_VALUE).stream()
        .map(ActivationRecord::activationId).toList());
    assertEquals(List.of("2"), store.query("guest", null, 15, 25).stream()
        .map(ActivationRecord::activationId).toList());
    assertTrue(store.query("other", null, 0, Long.MAX_VALUE).isEmpty());
  }
}
