package io.marvel.faas.bench;

import java.util.HashMap;
import java.util.Map;

/** The {@code key=value} words of an output line: {@link ShuffleLine}, {@link CpuLine}. */
final class KeyValues {
  private KeyValues() {
  }

  /** @return the line's {@code key=value} words by key; other words are skipped */
  static Map<String, String> of(String line) {
    Map<String, String> fields = new HashMap<>();
    for (String part : line.trim().split(" +")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        fields.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return fields;
  }
}
