package io.marvel.hdfs.pmem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time and run-queue wait (time runnable but not running: waiting for a core) of a
 * process's threads, from {@code /proc/<pid>/task/<tid>/schedstat}, summed by thread name (the
 * kernel's 15 characters, digits dropped, so that a pool's threads count together).
 *
 * @param byName nanoseconds run and waited, by name
 */
record ThreadTimes(Map<String, long[]> byName) {
  /** @return the times of {@code pid}'s live threads so far ("self" for this process) */
  static ThreadTimes of(String pid) throws IOException {
    Map<String, long[]> byName = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc", pid,
        "task"))) {
      for (Path task : tasks) {
        try {
          String name = Files.readString(task.resolve("comm"), StandardCharsets.US_ASCII)
              .trim().replaceAll("[0-9#]+", "").trim();
          String[] stat = Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII)
              .trim().split(" ");
          long[] sum = byName.computeIfAbsent(name, n -> new long[2]);
          sum[0] += Long.parseLong(stat[0]);
          sum[1] += Long.parseLong(stat[1]);
        } catch (NoSuchFileException e) {
          continue; // the thread ended meanwhile
        }
      }
    }
    return new ThreadTimes(byName);
  }

  /**
   * @param before the times taken earlier
   * @param top how many names to list
   * @return the run and wait times since {@code before}: the total, then the names with the
   *     most run time, as "name run/wait ms"
   */
  String since(ThreadTimes before, int top) {
    List<Map.Entry<String, long[]>> deltas = new ArrayList<>();
    long run = 0;
    long wait = 0;
    for (Map.Entry<String, long[]> e : byName.entrySet()) {
      long[] was = before.byName().getOrDefault(e.getKey(), new long[2]);
      // A thread that ended since is missing now: the pool's sum may shrink; count none.
      long[] delta = {Math.max(0, e.getValue()[0] - was[0]),
          Math.max(0, e.getValue()[1] - was[1])};
      run += delta[0];
      wait += delta[1];
      deltas.add(Map.entry(e.getKey(), delta));
    }
    deltas.sort((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]));
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "all %.0f/%.0f ms",
        run / 1e6, wait / 1e6));
    for (Map.Entry<String, long[]> e : deltas.subList(0, Math.min(top, deltas.size()))) {
      line.append(String.format(Locale.ROOT, ", %s %.0f/%.0f", e.getKey(),
          e.getValue()[0] / 1e6, e.getValue()[1] / 1e6));
    }
    return line.toString();
  }
}
