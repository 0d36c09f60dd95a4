package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RunResultTest {
  @Test
  void aLineReadsBackAsTheResultItWasWrittenFrom() {
    RunResult r = new RunResult(2, "yarn", "terasort", "5Mrows", 500_000_000L, 4, 1, 61.25,
        80.5, 40.25, 150.75, 612, 600, 380, 0, 0);
    assertEquals("RESULT round=2 mode=yarn job=terasort size=5Mrows bytes=500000000 maps=4"
        + " reduces=1 wall=61.25 gbs=80.50 gbs_tasks=40.25 cpu=150.75 rss_task=612"
        + " rss_task_own=600 rss_am=380 cold=0 warm=0", r.toLine());
    assertEquals(r, RunResult.parse(r.toLine()));
  }

  @Test
  void figuresAModeDoesNotHaveAreWrittenAsDashAndReadAsNaN() {
    RunResult r = new RunResult(1, "local", "tiny", "1KiB", 1024, 1, 1, 0.5, Double.NaN,
        Double.NaN, 1.5, Double.NaN, Double.NaN, Double.NaN, 0, 0);
    String line = r.toLine();
    assertEquals(true, line.contains(" gbs=- gbs_tasks=- cpu=1.50 rss_task=- rss_task_own=-"
        + " rss_am=- "));
    assertEquals(r, RunResult.parse(line));
  }

  @Test
  void aLineWithoutAFieldIsRejectedNamingIt() {
    String line = "RESULT round=1 mode=local job=tiny size=1KiB bytes=1024 maps=1 reduces=1";
    assertEquals("no wall= in " + line, assertThrows(IllegalArgumentException.class,
        () -> RunResult.parse(line)).getMessage());
    assertEquals("not a result line: hello", assertThrows(IllegalArgumentException.class,
        () -> RunResult.parse("hello")).getMessage());
  }
}
