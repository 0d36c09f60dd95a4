package io.marvel.faas.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * {@code bench-mapreduce}'s report over every result line of a series (one or more
 * invocations): per job, a table of every run, a table of the medians per size and framework
 * with the ratios to {@code local} and to {@code yarn}, the targets judged on the
 * medians, and optionally a plot of the medians against input size.
 */
final class BenchReport {
  static final String FAAS = "faas-pmem";
  /** The same on a fresh platform, all containers cold. */
  static final String COLD = "faas-cold";
  static final String LOCAL = "local";
  static final String YARN = "yarn";
  private static final List<String> MODE_ORDER = List.of(LOCAL, YARN, FAAS, COLD,
      "faas-hdfs");

  private final List<RunResult> results;

  BenchReport(List<RunResult> results) {
    this.results = List.copyOf(results);
  }

  /** The medians of one job at one size under one framework. */
  record Cell(String job, String size, long bytes, String mode, List<RunResult> runs) {
    double median(ToDoubleFunction<RunResult> figure) {
      return Medians.of(runs.stream().map(r -> figure.applyAsDouble(r)).toList());
    }

    double wall() {
      return median(RunResult::wallSeconds);
    }

    double gbs() {
      return median(RunResult::gbSeconds);
    }

    double cpu() {
      return median(RunResult::cpuSeconds);
    }

    double rss() {
      return median(RunResult::taskRssMib);
    }
  }

  /** @return the jobs, in the order of their first result */
  List<String> jobs() {
    return results.stream().map(RunResult::job).distinct().toList();
  }

  /**
   * @param job a job
   * @return its cells by size (smallest input first), each by framework (local, yarn, faas
   *     first)
   */
  Map<Long, Map<String, Cell>> cells(String job) {
    Map<Long, Map<String, List<RunResult>>> grouped = new TreeMap<>();
    for (RunResult r : results) {
      if (r.job().equals(job)) {
        grouped.computeIfAbsent(r.bytes(), b -> new TreeMap<>(BenchReport::compareModes))
            .computeIfAbsent(r.mode(), m -> new ArrayList<>()).add(r);
      }
    }
    Map<Long, Map<String, Cell>> cells = new LinkedHashMap<>();
    grouped.forEach((bytes, byMode) -> {
      Map<String, Cell> row = new LinkedHashMap<>();
      byMode.forEach((mode, runs) -> {
        runs.sort(Comparator.comparingInt(RunResult::round));
        row.put(mode, new Cell(job, runs.get(0).size(), bytes, mode, runs));
      });
      cells.put(bytes, row);
    });
    return cells;
  }

  /** @param out where to print the tables and the targets */
  void print(PrintStream out) {
    for (String job : jobs()) {
      Map<Long, Map<String, Cell>> cells = cells(job);
      out.printf("%n== %s: every run (in round order)%n", job);
      out.printf("%-11s %-10s %5s %9s %9s %9s %9s %9s %9s %9s %7s%n", "size", "framework",
          "round", "wall s", "GB-s", "task GB-s", "CPU-s", "RSS MiB", "-shm MiB", "AM RSS",
          "maps/r");
      cells.values().forEach(row -> row.values().forEach(c -> c.runs().forEach(r ->
          out.printf("%-11s %-10s %5d %9s %9s %9s %9s %9s %9s %9s %7s%n", r.size(), r.mode(),
              r.round(), fmt(r.wallSeconds()), fmt(r.gbSeconds()), fmt(r.taskGbSeconds()),
              fmt(r.cpuSeconds()), fmt0(r.taskRssMib()), fmt0(r.taskOwnRssMib()),
              fmt0(r.amRssMib()), r.maps() + "/" + r.reduces()))));
      out.printf("== %s: medians%n", job);
      out.printf("%-11s %-10s %4s %9s %7s %7s %9s %7s %9s %7s %9s %7s %9s%n", "size",
          "framework", "runs", "wall s", "/local", "/yarn", "GB-s", "/yarn", "CPU-s", "/yarn",
          "RSS MiB", "/yarn", "-shm MiB");
      for (Map<String, Cell> row : cells.values()) {
        Cell local = row.get(LOCAL);
        Cell yarn = row.get(YARN);
        for (Cell c : row.values()) {
          out.printf("%-11s %-10s %4d %9s %7s %7s %9s %7s %9s %7s %9s %7s %9s%n", c.size(),
              c.mode(), c.runs().size(), fmt(c.wall()), ratio(c.wall(), local, Cell::wall),
              ratio(c.wall(), yarn, Cell::wall), fmt(c.gbs()), ratio(c.gbs(), yarn, Cell::gbs),
              fmt(c.cpu()), ratio(c.cpu(), yarn, Cell::cpu), fmt0(c.rss()),
              ratio(c.rss(), yarn, Cell::rss), fmt0(c.median(RunResult::taskOwnRssMib)));
        }
      }
      targets(cells).forEach(t -> out.println("target: " + t));
    }
  }

  /**
   * The targets for one job, judged on the medians of {@value #FAAS} against
   * {@value #LOCAL} and {@value #YARN}; a target whose figures are missing is not listed.
   *
   * @param cells the job's cells
   * @return one line per target and size: what, the figures, met or MISSED
   */
  static List<String> targets(Map<Long, Map<String, Cell>> cells) {
    List<String> lines = new ArrayList<>();
    List<Map<String, Cell>> rows = new ArrayList<>(cells.values());
    List<Map<String, Cell>> withLocal = rows.stream()
        .filter(r -> r.containsKey(FAAS) && r.containsKey(LOCAL)).toList();
    if (withLocal.size() >= 2) {
      Map<String, Cell> small = withLocal.get(0);
      Map<String, Cell> large = withLocal.get(withLocal.size() - 1);
      double atSmall = small.get(FAAS).wall() / small.get(LOCAL).wall();
      double atLarge = large.get(FAAS).wall() / large.get(LOCAL).wall();
      lines.add(String.format(Locale.ROOT, "faas/local at the largest size (%s) %.2f <= at the"
          + " smallest (%s) %.2f: %s", large.get(FAAS).size(), atLarge, small.get(FAAS).size(),
          atSmall, verdict(atLarge <= atSmall)));
    }
    for (Map<String, Cell> row : rows) {
      if (row.containsKey(FAAS) && row.containsKey(COLD)) {
        double cold = row.get(COLD).wall() / row.get(FAAS).wall();
        lines.add(String.format(Locale.ROOT, "%s: faas-cold/faas-pmem wall %.2f <= 1.3: %s",
            row.get(FAAS).size(), cold, verdict(cold <= 1.3)));
      }
      Cell faas = row.get(FAAS);
      Cell yarn = row.get(YARN);
      if (faas == null || yarn == null) {
        continue;
      }
      double speedup = yarn.wall() / faas.wall();
      lines.add(String.format(Locale.ROOT, "%s: yarn/faas wall %.2f >= 2: %s", faas.size(),
          speedup, verdict(speedup >= 2)));
      double gbs = faas.gbs() / yarn.gbs();
      if (!Double.isNaN(gbs)) {
        lines.add(String.format(Locale.ROOT, "%s: faas/yarn GB-s %.2f <= 0.5: %s", faas.size(),
            gbs, verdict(gbs <= 0.5)));
      }
      double rss = faas.rss() / yarn.rss();
      if (!Double.isNaN(rss)) {
        lines.add(String.format(Locale.ROOT, "%s: faas/yarn peak RSS per task %.2f <= 0.75: %s",
            faas.size(), rss, verdict(rss <= 0.75)));
      }
    }
    return lines;
  }

  /**
   * @param title the plot's title
   * @return the SVG: per job with more than one size, wall time and GB-seconds against input
   *     MiB, one line per framework through its medians
   */
  String plot(String title) {
    List<SvgPlot.Panel> panels = new ArrayList<>();
    for (String job : jobs()) {
      Map<Long, Map<String, Cell>> cells = cells(job);
      if (cells.size() < 2) {
        continue;
      }
      panels.add(new SvgPlot.Panel(job + ": wall time", "input (MiB)", "wall time (s)",
          series(cells, Cell::wall)));
      panels.add(new SvgPlot.Panel(job + ": GB-seconds", "input (MiB)", "GB-s",
          series(cells, Cell::gbs)));
    }
    return SvgPlot.render(title, panels);
  }

  private static List<SvgPlot.Series> series(Map<Long, Map<String, Cell>> cells,
      ToDoubleFunction<Cell> figure) {
    Map<String, List<SvgPlot.Point>> byMode = new TreeMap<>(BenchReport::compareModes);
    cells.forEach((bytes, row) -> row.forEach((mode, cell) -> {
      double y = figure.applyAsDouble(cell);
      if (!Double.isNaN(y)) {
        byMode.computeIfAbsent(mode, m -> new ArrayList<>())
            .add(new SvgPlot.Point(bytes / (1024.0 * 1024.0), y));
      }
    }));
    return byMode.entrySet().stream().map(e -> new SvgPlot.Series(e.getKey(), e.getValue()))
        .collect(Collectors.toList());
  }

  private static int compareModes(String a, String b) {
    int ia = MODE_ORDER.indexOf(a);
    int ib = MODE_ORDER.indexOf(b);
    if (ia < 0 || ib < 0) {
      return ia < 0 && ib < 0 ? a.compareTo(b) : ia < 0 ? 1 : -1;
    }
    return Integer.compare(ia, ib);
  }

  private static String ratio(double value, Cell base, ToDoubleFunction<Cell> figure) {
    return base == null ? "-" : fmt(value / figure.applyAsDouble(base));
  }

  private static String verdict(boolean met) {
    return met ? "met" : "MISSED";
  }

  private static String fmt(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String fmt0(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
  }

  /**
   * Prints the report of a results file and writes the plot.
   *
   * @param args {@code <results-file> [plot.svg]}
   * @throws IOException if the file cannot be read or the plot written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: BenchReport <results-file> [plot.svg]");
      System.exit(2);
    }
    List<RunResult> results = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      if (line.startsWith(RunResult.PREFIX + " ")) {
        results.add(RunResult.parse(line));
      }
    }
    if (results.isEmpty()) {
      System.err.println("bench-mapreduce: no results in " + args[0]);
      System.exit(1);
    }
    BenchReport report = new BenchReport(results);
    report.print(System.out);
    if (args.length == 2) {
      Files.writeString(Path.of(args[1]), report.plot("bench-mapreduce: medians of "
          + results.size() + " timed jobs"), StandardCharsets.UTF_8);
      System.out.println("plot: " + args[1]);
    }
  }
}
