package io.marvel.whisk.platform.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogLimitTest {
  @Test
  void keepsLinesWithinTheLimit() {
    assertEquals(List.of("aaaa", "bbbb"), LogLimit.apply(List.of("aaaa", "bbbb"), 8));
  }

  @Test
  void dropsLinesPastTheLimitWithANotice() {
    List<String> out = LogLimit.apply(List.of("aaaa", "bbbb", "cccc"), 6);
    assertEquals(2, out.size());
    assertEquals("aaaa", out.get(0));
    assertTrue(out.get(1).contains("stderr: Logs were truncated because the total bytes size"
        + " exceeds the limit of 6 bytes."), out.get(1));
  }
}
