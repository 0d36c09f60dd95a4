package io.marvel.faas.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The issue 13 part of {@code bench-mapreduce}'s report, over the lines of a results file: the
 * {@code HOSTS} lines of {@link HostsBenchmark} (activations per host, shuffle counters) and the
 * targets judged on the medians of wall time: {@code hosts-pmem} within 1.2x of the single-host
 * PMEM store ({@code faas-pmem}) for wordcount and terasort, and terasort on {@code hosts-disk}
 * at least 1.2x slower than on {@code hosts-pmem}. Prints nothing without multi-host results.
 */
final class HostsReport {
  static final String HOSTS_PREFIX = "HOSTS";

  private final List<RunResult> results;
  private final List<String> hostLines;

  HostsReport(List<RunResult> results, List<String> hostLines) {
    this.results = List.copyOf(results);
    this.hostLines = List.copyOf(hostLines);
  }

  /** @param args the results file */
  public static void main(String[] args) throws IOException {
    List<RunResult> results = new ArrayList<>();
    List<String> hostLines = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      if (line.startsWith(RunResult.PREFIX + " ")) {
        results.add(RunResult.parse(line));
      } else if (line.startsWith(HOSTS_PREFIX + " ")) {
        hostLines.add(line);
      }
    }
    new HostsReport(results, hostLines).print(System.out);
  }

  /** @param out where to print the HOSTS lines and the targets */
  void print(PrintStream out) {
    if (results.stream().noneMatch(r -> HostsBenchmark.MODES.contains(r.mode()))) {
      return;
    }
    out.printf("%n== on 3 simulated hosts: activations per host and shuffle counters%n");
    hostLines.forEach(out::println);
    for (String target : targets()) {
      out.println("target: " + target);
    }
  }

  /** @return each issue 13 target whose modes have results, judged on the medians */
  List<String> targets() {
    List<String> targets = new ArrayList<>();
    for (String job : List.of("wordcount", "terasort")) {
      double hosts = wall(job, "hosts-pmem");
      double single = wall(job, BenchReport.FAAS);
      if (!Double.isNaN(hosts) && !Double.isNaN(single)) {
        double ratio = hosts / single;
        targets.add(String.format(Locale.ROOT, "%s hosts-pmem / faas-pmem %.2fx (<= 1.2): %s",
            job, ratio, ratio <= 1.2 ? "met" : "missed"));
      }
    }
    double disk = wall("terasort", "hosts-disk");
    double pmem = wall("terasort", "hosts-pmem");
    if (!Double.isNaN(disk) && !Double.isNaN(pmem)) {
      double ratio = disk / pmem;
      targets.add(String.format(Locale.ROOT, "terasort hosts-disk / hosts-pmem %.2fx (>= 1.2):"
          + " %s", ratio, ratio >= 1.2 ? "met" : "missed"));
    }
    return targets;
  }

  /** @return the median wall time of the job's runs under the mode, at its largest size */
  private double wall(String job, String mode) {
    long bytes = results.stream().filter(r -> r.job().equals(job) && r.mode().equals(mode))
        .mapToLong(RunResult::bytes).max().orElse(-1);
    return Medians.of(results.stream().filter(r -> r.job().equals(job)
        && r.mode().equals(mode) && r.bytes() == bytes).map(RunResult::wallSeconds).toList());
  }
}
