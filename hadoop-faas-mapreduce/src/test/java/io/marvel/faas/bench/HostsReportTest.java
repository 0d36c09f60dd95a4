package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostsReportTest {
  private static RunResult run(int round, String mode, String job, double wall) {
    return new RunResult(round, mode, job, "1MiB", 1 << 20, 1, 1, wall, Double.NaN, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0);
  }

  @Test
  void judgesTheTargetsOnTheMedians() {
    HostsReport report = new HostsReport(List.of(
        run(1, "faas-pmem", "wordcount", 10), run(2, "faas-pmem", "wordcount", 12),
        run(3, "faas-pmem", "wordcount", 11),
        run(1, "hosts-pmem", "wordcount", 30), run(2, "hosts-pmem", "wordcount", 12),
        run(3, "hosts-pmem", "wordcount", 13),
        run(1, "faas-pmem", "terasort", 10), run(1, "hosts-pmem", "terasort", 20),
        run(1, "hosts-disk", "terasort", 30)), List.of(), List.of(), List.of());
    assertEquals(List.of(
        "wordcount hosts-pmem / faas-pmem 1.18x (<= 1.2): met",
        "terasort hosts-pmem / faas-pmem 2.00x (<= 1.2): missed",
        "terasort hosts-disk / hosts-pmem 1.50x (>= 1.2): met",
        "bound: terasort hosts-disk / faas-pmem 3.00x, the most a cross-host PMEM state path"
            + " could gain over hosts-disk here"), report.targets());
  }

  @Test
  void printsNothingWithoutMultiHostResults() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new HostsReport(List.of(run(1, "faas-pmem", "wordcount", 10)), List.of("HOSTS x"),
        List.of(), List.of()).print(new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void printsEachRunsShuffleBytesAndTheirMediansPerJobAndMode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new HostsReport(List.of(run(1, "faas-pmem", "terasort", 10)), List.of(), List.of(
        new ShuffleLine(1, "hosts-pmem", "terasort", 3, 3, 30_000_000, 70_000_000),
        new ShuffleLine(2, "hosts-pmem", "terasort", 3, 3, 40_000_000, 60_000_000),
        new ShuffleLine(3, "hosts-pmem", "terasort", 3, 3, 35_000_000, 65_000_000),
        new ShuffleLine(1, "faas-pmem", "terasort", 3, 3, 100_000_000, 0)), List.of())
        .print(new PrintStream(out, true, StandardCharsets.UTF_8));
    String report = out.toString(StandardCharsets.UTF_8);
    assertTrue(report.contains("terasort   hosts-pmem      2    3/3         40.0         60.0"),
        report);
    assertTrue(report.contains("terasort   hosts-pmem      3         35.0         65.0       65%"),
        report);
    assertTrue(report.contains("terasort   faas-pmem       1        100.0          0.0        0%"),
        report);
  }

  @Test
  void printsTheMediansOfEachProcessKindsCpuPerJobAndMode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new HostsReport(List.of(), List.of(), List.of(), List.of(
        new CpuLine(1, "hosts-pmem", "terasort", 10, 3, 1, 99_000),
        new CpuLine(2, "hosts-pmem", "terasort", 12, 2, 1.5, 90_000),
        new CpuLine(3, "hosts-pmem", "terasort", 11, 4, 0.5, 95_000),
        new CpuLine(1, "faas-pmem", "terasort", 9, 0, 2, -1)))
        .print(new PrintStream(out, true, StandardCharsets.UTF_8));
    String report = out.toString(StandardCharsets.UTF_8);
    // Each column its own median; the total is the median of the runs' totals (14, 15.5, 15.5).
    assertTrue(report.contains("terasort   hosts-pmem      3       11.00      3.00      1.00"
        + "     15.50        95000"), report);
    // A line from before the faults were counted shows none.
    assertTrue(report.contains("terasort   faas-pmem       1        9.00      0.00      2.00"
        + "     11.00            -"), report);
  }
}
