package io.marvel.whisk.platform.controller;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The controller's actions, in memory, keyed by namespace and name. Thread-safe. */
final class ActionStore {
  private final Map<String, StoredAction> actions = new ConcurrentHashMap<>();

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  Optional<StoredAction> get(String namespace, String name) {
    return Optional.ofNullable(actions.get(key(namespace, name)));
  }

  /** @return true if stored, false if the name was taken meanwhile */
  boolean create(StoredAction action) {
    return actions.putIfAbsent(key(action.namespace(), action.name()), action) == null;
  }

  /** @return true if replaced, false if {@code old} is no longer the stored revision */
  boolean replace(StoredAction old, StoredAction updated) {
    return actions.replace(key(old.namespace(), old.name()), old, updated);
  }

  Optional<StoredAction> remove(String namespace, String name) {
    return Optional.ofNullable(actions.remove(key(namespace, name)));
  }

  /** @return the namespace's actions, most recently updated first */
  List<StoredAction> list(String namespace) {
    return actions.values().stream()
        .filter(a -> a.namespace().equals(namespace))
        .sorted(Comparator.comparingLong(StoredAction::updated).reversed())
        .toList();
  }
}
