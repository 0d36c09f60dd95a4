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
 * at least 1.2x slower than on {@code hosts-pmem}; and, for every faas mode, where the reducers
 * read their shuffle bytes from ({@link ShuffleLine}: each run, the medians per job and mode)
 * and which processes used the CPU ({@link CpuLine}: the medians per job and mode). Prints
 * nothing without multi-host, shuffle or CPU results.
 */
final class HostsReport {
  static final String HOSTS_PREFIX = "HOSTS";

  private final List<RunResult> results;
  private final List<String> hostLines;
  private final List<ShuffleLine> shuffles;
  private final List<CpuLine> cpus;

  HostsReport(List<RunResult> results, List<String> hostLines, List<ShuffleLine> shuffles,
      List<CpuLine> cpus) {
    this.results = List.copyOf(results);
    this.hostLines = List.copyOf(hostLines);
    this.shuffles = List.copyOf(shuffles);
    this.cpus = List.copyOf(cpus);
  }

  /** @param args the results file */
  public static void main(String[] args) throws IOException {
    List<RunResult> results = new ArrayList<>();
    List<String> hostLines = new ArrayList<>();
    List<ShuffleLine> shuffles = new ArrayList<>();
    List<CpuLine> cpus = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      if (line.startsWith(RunResult.PREFIX + " ")) {
        results.add(RunResult.parse(line));
      } else if (line.startsWith(HOSTS_PREFIX + " ")) {
        hostLines.add(line);
      } else if (line.startsWith(ShuffleLine.PREFIX + " ")) {
        shuffles.add(ShuffleLine.parse(line));
      } else if (line.startsWith(CpuLine.PREFIX + " ")) {
        cpus.add(CpuLine.parse(line));
      }
    }
    new HostsReport(results, hostLines, shuffles, cpus).print(System.out);
  }

  /** @param out where to print the shuffle bytes, the HOSTS lines and the targets */
  void print(PrintStream out) {
    printShuffles(out);
    printCpu(out);
    if (results.stream().noneMatch(r -> HostsBenchmark.MODES.contains(r.mode()))) {
      return;
    }
    out.printf("%n== on 3 simulated hosts: activations per host and shuffle counters%n");
    hostLines.forEach(out::println);
    for (String target : targets()) {
      out.println("target: " + target);
    }
  }

  private void printShuffles(PrintStream out) {
    if (shuffles.isEmpty()) {
      return;
    }
    out.printf("%n== shuffle bytes the reducers read: local from their own host, remote from"
        + " another host's DataNode%n");
    out.printf("%-10s %-11s %5s %6s %12s %12s%n", "job", "mode", "round", "maps/r", "local MB",
        "remote MB");
    for (ShuffleLine s : shuffles) {
      out.printf(Locale.ROOT, "%-10s %-11s %5d %6s %12.1f %12.1f%n", s.job(), s.mode(),
          s.round(), s.maps() + "/" + s.reduces(), s.localBytes() / 1e6, s.remoteBytes() / 1e6);
    }
    out.printf("== medians%n%-10s %-11s %5s %12s %12s %9s%n", "job", "mode", "runs", "local MB",
        "remote MB", "remote %");
    shuffles.stream().map(s -> s.job() + " " + s.mode()).distinct().forEach(key -> {
      List<ShuffleLine> runs = shuffles.stream()
          .filter(s -> (s.job() + " " + s.mode()).equals(key)).toList();
      double local = Medians.of(runs.stream().map(s -> (double) s.localBytes()).toList());
      double remote = Medians.of(runs.stream().map(s -> (double) s.remoteBytes()).toList());
      String[] jobMode = key.split(" ");
      out.printf(Locale.ROOT, "%-10s %-11s %5d %12.1f %12.1f %8.0f%%%n", jobMode[0], jobMode[1],
          runs.size(), local / 1e6, remote / 1e6,
          local + remote == 0 ? 0 : 100 * remote / (local + remote));
    });
  }

  private void printCpu(PrintStream out) {
    if (cpus.isEmpty()) {
      return;
    }
    out.printf("%n== CPU-s by process, medians: task containers, the simulated hosts' NameNode"
        + " and DataNodes, the rest (benchmark JVM: client, platform, a single host's HDFS;"
        + " containers that ended during the job); the NameNode's and DataNodes' minor page"
        + " faults%n");
    out.printf("%-10s %-11s %5s %11s %9s %9s %9s %12s%n", "job", "mode", "runs", "containers",
        "hdfs", "rest", "total", "hdfs faults");
    cpus.stream().map(c -> c.job() + " " + c.mode()).distinct().forEach(key -> {
      List<CpuLine> runs = cpus.stream().filter(c -> (c.job() + " " + c.mode()).equals(key))
          .toList();
      String[] jobMode = key.split(" ");
      List<Double> faults = runs.stream().filter(c -> c.hdfsFaults() >= 0)
          .map(c -> (double) c.hdfsFaults()).toList();
      out.printf(Locale.ROOT, "%-10s %-11s %5d %11.2f %9.2f %9.2f %9.2f %12s%n", jobMode[0],
          jobMode[1], runs.size(), Medians.of(runs.stream().map(CpuLine::containers).toList()),
          Medians.of(runs.stream().map(CpuLine::hdfs).toList()),
          Medians.of(runs.stream().map(CpuLine::rest).toList()),
          Medians.of(runs.stream().map(c -> c.containers() + c.hdfs() + c.rest()).toList()),
          faults.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f", Medians.of(faults)));
    });
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
    double single = wall("terasort", BenchReport.FAAS);
    if (!Double.isNaN(disk) && !Double.isNaN(single)) {
      // faas-pmem keeps every map output in its own host's PMEM, read in place: no network, no
      // HDFS, no daemons. A cross-host PMEM path does that work and more, so this ratio bounds
      // what any of them could gain over hosts-disk on this machine.
      targets.add(String.format(Locale.ROOT, "bound: terasort hosts-disk / faas-pmem %.2fx, the"
          + " most a cross-host PMEM state path could gain over hosts-disk here",
          disk / single));
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
