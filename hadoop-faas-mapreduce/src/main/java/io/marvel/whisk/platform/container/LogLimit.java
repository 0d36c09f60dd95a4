package io.marvel.whisk.platform.container;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Cuts an activation's log lines at its log limit, as OpenWhisk's log store does. */
final class LogLimit {
  private LogLimit() {
  }

  /**
   * @param lines formatted log lines
   * @param limitBytes the limit in bytes of all line texts together
   * @return the lines that fit, plus a truncation notice on stderr if any were dropped
   */
  static List<String> apply(List<String> lines, long limitBytes) {
    List<String> kept = new ArrayList<>(lines.size());
    long used = 0;
    for (String line : lines) {
      used += line.getBytes(StandardCharsets.UTF_8).length;
      if (used > limitBytes) {
        kept.add(String.format("%-30s %s: %s", Instant.now(), "stderr",
            "Logs were truncated because the total bytes size exceeds the limit of " + limitBytes
            + " bytes."));
        return kept;
      }
      kept.add(line);
    }
    return kept;
  }
}
