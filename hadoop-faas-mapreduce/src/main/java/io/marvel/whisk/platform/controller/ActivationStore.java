package io.marvel.whisk.platform.controller;

import io.marvel.whisk.platform.invoker.ActivationRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Completed activation records, bounded: when full, the oldest record is dropped. Thread-safe.
 */
final class ActivationStore {
  private final int capacity;
  private final LinkedHashMap<String, ActivationRecord> records = new LinkedHashMap<>();

  ActivationStore(int capacity) {
    this.capacity = capacity;
  }

  synchronized void add(ActivationRecord record) {
    records.put(record.activationId(), record);
    Iterator<Map.Entry<String, ActivationRecord>> oldest = records.entrySet().iterator();
    while (records.size() > capacity && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  synchronized Optional<ActivationRecord> get(String activationId) {
    return Optional.ofNullable(records.get(activationId));
  }

  synchronized int size() {
    return records.size();
  }

  /**
   * @param namespace the invoking namespace
   * @param name action name filter, or null
   * @param since lower bound on start (epoch ms), inclusive, or 0
   * @param upto upper bound on start (epoch ms), inclusive, or {@code Long.MAX_VALUE}
   * @return matching records, newest first
   */
  synchronized List<ActivationRecord> query(String namespace, String name, long since,
      long upto) {
    List<ActivationRecord> out = new ArrayList<>();
    for (ActivationRecord r : records.values()) {
      if (r.namespace().equals(namespace) && (name == null || r.name().equals(name))
          && r.start() >= since && r.start() <= upto) {
        out.add(r);
      }
    }
    out.sort((a, b) -> Long.compare(b.start(), a.start()));
    return out;
  }
}
