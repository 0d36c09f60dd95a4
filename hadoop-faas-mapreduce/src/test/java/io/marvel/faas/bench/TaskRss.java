package io.marvel.faas.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Peak resident set of the task containers of one job: a thread reads {@code VmHWM} (the
 * kernel's high-water mark of the process's resident set) from {@code /proc/<pid>/status} of
 * every task JVM below this one every {@value #PERIOD_MS} ms until {@link #close}. A YARN task
 * JVM ({@code YarnChild}) runs one attempt and ends, so its last sample is its peak up to what
 * it adds in its last 100 ms; a faas container ({@code RuntimeMain}) lives on warm, so its
 * mark is reset when the sampling starts (writing 5 to {@code /proc/<pid>/clear_refs}), and its
 * peak covers the tasks it ran in this job. yarn's ApplicationMaster ({@code MRAppMaster}) is
 * kept apart. A second figure leaves out shared memory ({@code RssShmem}): files of /dev/shm
 * mapped into the process, which is where the emulated PMEM state store's map outputs are (a
 * faas reducer maps every map output of its partition); it is the highest sampled
 * {@code RssAnon + RssFile}. Thread-safe.
 */
final class TaskRss implements AutoCloseable {
  static final long PERIOD_MS = 100;

  /** What a JVM below this one is. */
  enum Kind { TASK, APP_MASTER }

  private static final Map<String, Kind> MAIN_CLASSES = Map.of(
      "org.apache.hadoop.mapred.YarnChild", Kind.TASK,
      "io.marvel.whisk.platform.runtime.RuntimeMain", Kind.TASK,
      "org.apache.hadoop.mapreduce.v2.app.MRAppMaster", Kind.APP_MASTER);

  private final Map<Long, Kind> kinds = new ConcurrentHashMap<>();
  private final Map<Long, Long> peaksKib = new ConcurrentHashMap<>();
  private final Map<Long, Long> ownPeaksKib = new ConcurrentHashMap<>();
  private final Thread sampler;
  private volatile boolean closed;

  private TaskRss() {
    sampler = new Thread(this::sampleUntilClosed, "task-rss-sampler");
    sampler.setDaemon(true);
  }

  /**
   * Resets the peaks of the task JVMs that live now and starts sampling.
   *
   * @return the running sampler
   */
  static TaskRss start() {
    TaskRss rss = new TaskRss();
    ProcessHandle.current().descendants().forEach(p -> {
      if (rss.kindOf(p.pid()).isPresent()) {
        resetPeak(p.pid());
      }
    });
    rss.sampler.start();
    return rss;
  }

  /**
   * @param argv a process's arguments, as {@code /proc/<pid>/cmdline} lists them
   * @return what it is, when it is a JVM running a task container or yarn's AM (the shells
   *     that start them name the class too, but are not a JVM)
   */
  static Optional<Kind> classify(List<String> argv) {
    if (argv.isEmpty() || !Path.of(argv.get(0)).getFileName().toString().equals("java")) {
      return Optional.empty();
    }
    return argv.stream().filter(MAIN_CLASSES::containsKey).findFirst().map(MAIN_CLASSES::get);
  }

  /**
   * @param status the content of {@code /proc/<pid>/status}
   * @return its {@code VmHWM}, KiB, or -1 when it has none (a kernel thread, a zombie)
   */
  static long vmHwmKib(String status) {
    return field(status, "VmHWM:");
  }

  private static long field(String status, String name) {
    for (String line : status.split("\n")) {
      if (line.startsWith(name)) {
        String[] f = line.substring(name.length()).trim().split("\\s+");
        if (f.length != 2 || !f[1].equals("kB")) {
          throw new IllegalArgumentException("unexpected " + name.substring(0,
              name.length() - 1) + " line: " + line);
        }
        return Long.parseLong(f[0]);
      }
    }
    return -1;
  }

  /**
   * @param status the content of {@code /proc/<pid>/status}
   * @return its {@code RssAnon + RssFile} (resident memory but shared memory), KiB, or -1
   */
  static long ownRssKib(String status) {
    long anon = field(status, "RssAnon:");
    long file = field(status, "RssFile:");
    return anon < 0 || file < 0 ? -1 : anon + file;
  }

  /**
   * @param kind task or AM
   * @return the highest peak of one JVM of that kind seen so far, MiB, or NaN if none was seen
   */
  double peakMib(Kind kind) {
    return highest(peaksKib, kind);
  }

  /**
   * @param kind task or AM
   * @return the highest sampled resident memory but shared memory of one JVM of that kind,
   *     MiB, or NaN if none was seen
   */
  double ownPeakMib(Kind kind) {
    return highest(ownPeaksKib, kind);
  }

  private double highest(Map<Long, Long> peaks, Kind kind) {
    return peaks.entrySet().stream().filter(e -> kinds.get(e.getKey()) == kind)
        .mapToLong(Map.Entry::getValue).max().stream().mapToDouble(k -> k / 1024.0)
        .findFirst().orElse(Double.NaN);
  }

  /** Takes a last sample and stops. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    sampler.interrupt();
    sampler.join();
    sample();
  }

  private void sampleUntilClosed() {
    while (!closed) {
      sample();
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample() {
    ProcessHandle.current().descendants().forEach(p -> {
      if (kindOf(p.pid()).isEmpty()) {
        return;
      }
      try {
        String status = Files.readString(Path.of("/proc", Long.toString(p.pid()), "status"),
            StandardCharsets.US_ASCII);
        peaksKib.merge(p.pid(), vmHwmKib(status), Math::max);
        ownPeaksKib.merge(p.pid(), ownRssKib(status), Math::max);
      } catch (IOException e) {
        // Ended since the listing; its last sample stands.
      }
    });
  }

  private Optional<Kind> kindOf(long pid) {
    Kind known = kinds.get(pid);
    if (known != null) {
      return Optional.of(known);
    }
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      Optional<Kind> kind = classify(Arrays.asList(
          new String(raw, StandardCharsets.UTF_8).split("\0")));
      kind.ifPresent(k -> kinds.put(pid, k));
      return kind;
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void resetPeak(long pid) {
    try {
      Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
    } catch (IOException e) {
      throw new IllegalStateException("cannot reset the peak resident set of process " + pid
          + " (/proc/" + pid + "/clear_refs): " + e.getMessage(), e);
    }
  }
}
