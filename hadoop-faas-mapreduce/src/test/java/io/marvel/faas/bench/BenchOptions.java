package io.marvel.faas.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The options of one {@link MapReduceBenchmark} JVM.
 *
 * @param mode local, yarn, faas-pmem, faas-cold or faas-hdfs
 * @param workDir where the HDFS data (kept between runs) and the modes' dirs live
 * @param wordcountMib wordcount input, MiB
 * @param terasortRows terasort input, rows of 100 bytes
 * @param jobs the timed jobs, in order: wordcount, terasort, tiny
 * @param splitMib 0 for the default layout (text in 32 MiB files, Hadoop's one reducer); else
 *     text in files of this size, one split each, and reducers by {@code reduceMib} (terasort's
 *     one input file is split by HDFS block, 128 MiB)
 * @param reduceMib with {@code splitMib}: one reducer per this many MiB of input (at least one)
 * @param round the round this run belongs to, for the result lines
 * @param prepareOnly generate the jobs' inputs and run nothing
 * @param settings {@code key=value} settings for every job
 */
record BenchOptions(String mode, String workDir, int wordcountMib, long terasortRows,
    List<String> jobs, int splitMib, int reduceMib, int round, boolean prepareOnly,
    List<String> settings) {
  static final Set<String> MODES = Set.of("local", "yarn", "faas-pmem", "faas-cold",
      "faas-hdfs");
  static final Set<String> JOBS = Set.of("wordcount", "terasort", "tiny");
  static final String USAGE = "usage: MapReduceBenchmark local|yarn|faas-pmem|faas-cold|faas-hdfs"
      + " <work-dir> [--wordcount-mib N] [--terasort-rows N] [--jobs wordcount,terasort,tiny]"
      + " [--split-mib N [--reduce-mib N]] [--round N] [--prepare-only] [key=value ...]";

  /** Copies the lists. */
  BenchOptions {
    jobs = List.copyOf(jobs);
    settings = List.copyOf(settings);
  }

  /**
   * @param args the command line
   * @return the options
   * @throws IllegalArgumentException naming the bad argument and {@link #USAGE}
   */
  static BenchOptions parse(String[] args) {
    if (args.length < 2 || !MODES.contains(args[0])) {
      throw new IllegalArgumentException(USAGE);
    }
    int mib = 256;
    long rows = 1_000_000;
    List<String> jobs = List.of("wordcount", "terasort", "tiny");
    int splitMib = 0;
    int reduceMib = 512;
    int round = 1;
    boolean prepareOnly = false;
    List<String> settings = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        if (!a.contains("=")) {
          throw new IllegalArgumentException("not key=value: " + a + "; " + USAGE);
        }
        settings.add(a);
        continue;
      }
      if (a.equals("--prepare-only")) {
        prepareOnly = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value; " + USAGE);
      }
      String v = args[++i];
      switch (a) {
        case "--wordcount-mib" -> mib = positive(a, v);
        case "--terasort-rows" -> rows = positive(a, v);
        case "--split-mib" -> splitMib = positive(a, v);
        case "--reduce-mib" -> reduceMib = positive(a, v);
        case "--round" -> round = positive(a, v);
        case "--jobs" -> {
          jobs = Arrays.asList(v.split(","));
          for (String job : jobs) {
            if (!JOBS.contains(job)) {
              throw new IllegalArgumentException("unknown job " + job + " in --jobs; known: "
                  + "wordcount, terasort, tiny");
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + a + "; " + USAGE);
      }
    }
    return new BenchOptions(args[0], args[1], mib, rows, jobs, splitMib, reduceMib, round,
        prepareOnly, settings);
  }

  /**
   * @param inputBytes a job's input
   * @return its reducers under {@code --split-mib}, or -1 for Hadoop's default
   */
  int reducers(long inputBytes) {
    if (splitMib == 0) {
      return -1;
    }
    long perReducer = (long) reduceMib << 20;
    return (int) Math.max(1, (inputBytes + perReducer - 1) / perReducer);
  }

  private static int positive(String option, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below with the option's name.
    }
    throw new IllegalArgumentException(option + " needs a positive number, got '" + value + "'");
  }
}
