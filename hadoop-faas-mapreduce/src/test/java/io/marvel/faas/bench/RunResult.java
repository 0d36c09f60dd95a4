package io.marvel.faas.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one timed job of one run measured: the line {@link MapReduceBenchmark} prints and
 * {@link BenchReport} reads, {@code RESULT key=value ...}. A figure a mode does not have (GB-s of
 * {@code local}, the AM of faas) is NaN, written {@code -}.
 *
 * @param round 1-based round of the run
 * @param mode the framework: local, yarn, faas-pmem, faas-hdfs
 * @param job wordcount, terasort or tiny
 * @param size the size as the user names it (256MiB, 5Mrows)
 * @param bytes input bytes
 * @param maps map tasks
 * @param reduces reduce tasks
 * @param wallSeconds from submission to completion as the client sees it
 * @param gbSeconds memory × time of the job's containers, GiB-seconds
 *     ({@link ActivationCost}, {@link YarnCost})
 * @param taskGbSeconds the part of {@code gbSeconds} that task attempts used while they ran
 *     (yarn: {@code MB_MILLIS_MAPS + MB_MILLIS_REDUCES}; faas: the activations' own sum)
 * @param cpuSeconds CPU of the benchmark JVM and every process below it during the job
 *     ({@link ProcessTreeCpu})
 * @param taskRssMib the highest peak resident set of one task container during the job, MiB
 *     ({@link TaskRss})
 * @param taskOwnRssMib as {@code taskRssMib} without shared memory (the /dev/shm files of the
 *     emulated PMEM store that a faas task maps), highest sample, MiB
 * @param amRssMib peak resident set of yarn's ApplicationMaster, MiB
 * @param cold activations that found no cached job in their container (faas)
 * @param warm activations that did (faas)
 */
record RunResult(int round, String mode, String job, String size, long bytes, int maps,
    int reduces, double wallSeconds, double gbSeconds, double taskGbSeconds, double cpuSeconds,
    double taskRssMib, double taskOwnRssMib, double amRssMib, long cold, long warm) {

  static final String PREFIX = "RESULT";

  /** @return the line, {@code RESULT key=value ...} */
  String toLine() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("round", Integer.toString(round));
    fields.put("mode", mode);
    fields.put("job", job);
    fields.put("size", size);
    fields.put("bytes", Long.toString(bytes));
    fields.put("maps", Integer.toString(maps));
    fields.put("reduces", Integer.toString(reduces));
    fields.put("wall", figure(wallSeconds, "%.2f"));
    fields.put("gbs", figure(gbSeconds, "%.2f"));
    fields.put("gbs_tasks", figure(taskGbSeconds, "%.2f"));
    fields.put("cpu", figure(cpuSeconds, "%.2f"));
    fields.put("rss_task", figure(taskRssMib, "%.0f"));
    fields.put("rss_task_own", figure(taskOwnRssMib, "%.0f"));
    fields.put("rss_am", figure(amRssMib, "%.0f"));
    fields.put("cold", Long.toString(cold));
    fields.put("warm", Long.toString(warm));
    StringBuilder line = new StringBuilder(PREFIX);
    fields.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    return line.toString();
  }

  /**
   * @param line a line {@link #toLine} wrote
   * @return the result
   * @throws IllegalArgumentException naming the line and the field when one is missing or bad
   */
  static RunResult parse(String line) {
    String[] words = line.trim().split("\\s+");
    if (words.length == 0 || !words[0].equals(PREFIX)) {
      throw new IllegalArgumentException("not a result line: " + line);
    }
    Map<String, String> f = new LinkedHashMap<>();
    for (int i = 1; i < words.length; i++) {
      String[] kv = words[i].split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("not key=value: '" + words[i] + "' in " + line);
      }
      f.put(kv[0], kv[1]);
    }
    try {
      return new RunResult(Integer.parseInt(get(f, "round", line)), get(f, "mode", line),
          get(f, "job", line), get(f, "size", line), Long.parseLong(get(f, "bytes", line)),
          Integer.parseInt(get(f, "maps", line)), Integer.parseInt(get(f, "reduces", line)),
          number(get(f, "wall", line)), number(get(f, "gbs", line)),
          number(get(f, "gbs_tasks", line)), number(get(f, "cpu", line)),
          number(get(f, "rss_task", line)), number(get(f, "rss_task_own", line)),
          number(get(f, "rss_am", line)),
          Long.parseLong(get(f, "cold", line)), Long.parseLong(get(f, "warm", line)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a figure is not a number in " + line + ": "
          + e.getMessage(), e);
    }
  }

  private static String get(Map<String, String> fields, String key, String line) {
    String value = fields.get(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key + "= in " + line);
    }
    return value;
  }

  private static String figure(double value, String format) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
  }

  private static double number(String text) {
    return text.equals("-") ? Double.NaN : Double.parseDouble(text);
  }
}
