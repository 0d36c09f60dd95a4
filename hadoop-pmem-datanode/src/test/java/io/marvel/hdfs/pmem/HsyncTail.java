package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PipelineEvents.Event;
import io.marvel.hdfs.pmem.store.PipelineEvents.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the slowest 1% of a run's hsyncs spent their time: each hsync (client start and end,
 * {@code System.nanoTime}) is matched with the DataNode's events of its packet
 * ({@link io.marvel.hdfs.pmem.store.PipelineEvents}) and cut into the parts between them;
 * JVM pauses (safepoints, from {@code -Xlog:safepoint} files with {@code tn} decorations) of
 * the DataNode and of the client's JVM that overlap them are counted.
 */
final class HsyncTail {
  private static final Pattern SAFEPOINT = Pattern.compile(
      "^\\[(\\d+)ns\\] Safepoint \"[^\"]*\".* Total: (\\d+) ns");
  private static final String[] PARTS = {"client to DN write", "write to flush",
      "flush to ack", "ack send", "ack to client"};

  /** A JVM pause, nanoTime from and to. */
  record Pause(long from, long to) {
  }

  private HsyncTail() {
  }

  /** @return the pauses a safepoint log lists, none if it does not exist */
  static List<Pause> pauses(Path safepointLog) throws IOException {
    List<Pause> pauses = new ArrayList<>();
    if (!Files.exists(safepointLog)) {
      return pauses;
    }
    for (String line : Files.readAllLines(safepointLog)) {
      Matcher m = SAFEPOINT.matcher(line);
      if (m.find()) {
        long end = Long.parseLong(m.group(1));
        pauses.add(new Pause(end - Long.parseLong(m.group(2)), end));
      }
    }
    return pauses;
  }

  /**
   * @param starts each hsync's start (write call), in the order made
   * @param latencies each hsync's time to return, same order
   * @param events the DataNode's events, oldest first
   * @return one line saying where the hsyncs at or above the run's p99 spent their time
   */
  static String describe(long[] starts, long[] latencies, List<Event> events,
      List<Pause> dnPauses, List<Pause> clientPauses) {
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    long p99 = sorted[Math.min(sorted.length - 1, (int) Math.floor(0.99 * sorted.length))];
    long[] times = events.stream().mapToLong(Event::nanos).toArray();
    long[] parts = new long[PARTS.length];
    long total = 0;
    long dataset = 0;
    long datasetMax = 0;
    int datasetMaxAt = -1;
    int slow = 0;
    int matched = 0;
    int datasetSeen = 0;
    int withDnPause = 0;
    int withClientPause = 0;
    long dnPaused = 0;
    long clientPaused = 0;
    int[] largest = new int[PARTS.length];
    for (int i = 0; i < starts.length; i++) {
      if (latencies[i] < p99) {
        continue;
      }
      slow++;
      long start = starts[i];
      long end = start + latencies[i];
      long written = first(events, times, Kind.DATA_WRITTEN, start, end);
      long flush = first(events, times, Kind.FLUSH_START, written, end);
      long ackReady = first(events, times, Kind.ACK_READY, flush, end);
      long ackSent = first(events, times, Kind.ACK_SENT, ackReady, end);
      long dnPause = overlap(dnPauses, start, end);
      long clientPause = overlap(clientPauses, start, end);
      withDnPause += dnPause > 0 ? 1 : 0;
      withClientPause += clientPause > 0 ? 1 : 0;
      dnPaused += dnPause;
      clientPaused += clientPause;
      if (written < 0 || flush < 0 || ackReady < 0 || ackSent < 0) {
        continue;
      }
      matched++;
      total += latencies[i];
      long[] cut = {written - start, flush - written, ackReady - flush, ackSent - ackReady,
          end - ackSent};
      int big = 0;
      for (int p = 0; p < cut.length; p++) {
        parts[p] += cut[p];
        big = cut[p] > cut[big] ? p : big;
      }
      largest[big]++;
      long data = last(events, times, Kind.DATASET_DATA, start, written);
      long flushed = first(events, times, Kind.DATASET_FLUSHED, flush, ackReady);
      if (data >= 0 && flushed >= 0) {
        datasetSeen++;
        dataset += flushed - data;
        if (flushed - data > datasetMax) {
          datasetMax = flushed - data;
          datasetMaxAt = i;
        }
      }
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "hsyncs >= p99 (%.0f us): %d, %d matched with the DataNode's events; their time:",
        p99 / 1e3, slow, matched));
    for (int p = 0; p < PARTS.length; p++) {
      line.append(String.format(Locale.ROOT, " %s %.0f%% (largest in %d)", PARTS[p],
          share(parts[p], total), largest[p]));
      line.append(p < PARTS.length - 1 ? "," : ";");
    }
    if (datasetSeen > 0) {
      line.append(String.format(Locale.ROOT, " PMEM dataset's work %.1f%% (mean %.1f us, max"
          + " %.1f us in hsync #%d);", share(dataset, total), dataset / 1e3 / datasetSeen,
          datasetMax / 1e3, datasetMaxAt));
    }
    line.append(String.format(Locale.ROOT, " a DataNode JVM pause in %d (%.0f%% of their time),"
        + " a client JVM pause in %d (%.0f%%)", withDnPause, share(dnPaused, total),
        withClientPause, share(clientPaused, total)));
    return line.toString();
  }

  private static double share(long part, long total) {
    return total == 0 ? 0 : 100.0 * part / total;
  }

  /** @return the time of the first event of {@code kind} in [from, to), or -1 */
  private static long first(List<Event> events, long[] times, Kind kind, long from, long to) {
    if (from < 0) {
      return -1;
    }
    int i = Arrays.binarySearch(times, from);
    for (i = i < 0 ? -i - 1 : i; i < times.length && times[i] < to; i++) {
      if (events.get(i).kind() == kind) {
        return times[i];
      }
    }
    return -1;
  }

  /** @return the time of the last event of {@code kind} in [from, to], or -1 */
  private static long last(List<Event> events, long[] times, Kind kind, long from, long to) {
    if (to < 0) {
      return -1;
    }
    long found = -1;
    int i = Arrays.binarySearch(times, from);
    for (i = i < 0 ? -i - 1 : i; i < times.length && times[i] <= to; i++) {
      if (events.get(i).kind() == kind) {
        found = times[i];
      }
    }
    return found;
  }

  private static long overlap(List<Pause> pauses, long from, long to) {
    long sum = 0;
    for (Pause p : pauses) {
      sum += Math.max(0, Math.min(to, p.to()) - Math.max(from, p.from()));
    }
    return sum;
  }
}
