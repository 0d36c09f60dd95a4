package io.marvel.faas.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

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

  /**
   * @param line a line of {@code key=value} words
   * @param prefix the line's first word, for the message
   * @param make what the line's fields make
   * @return what {@code make} made of the line's fields
   * @throws IllegalArgumentException naming the line if a field is missing or not a number
   */
  static <T> T parse(String line, String prefix, Function<Map<String, String>, T> make) {
    try {
      return make.apply(of(line));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a " + prefix + " line: " + line, e);
    }
  }
}
