package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.hdfs.pmem.HsyncTail.Pause;
import io.marvel.hdfs.pmem.store.PipelineEvents.Event;
import io.marvel.hdfs.pmem.store.PipelineEvents.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HsyncTailTest {
  @Test
  void cutsTheSlowestHsyncsAtTheirPacketsEvents() {
    int count = 100;
    long[] starts = new long[count];
    long[] latencies = new long[count];
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long start = i * 1_000_000L;
      starts[i] = start;
      // The slowest one waits 900 us for its ack to reach the client; the others 100 us in all.
      long toClient = i == 42 ? 900_000 : 20_000;
      events.add(new Event(start + 10_000, Kind.DATASET_DATA));
      events.add(new Event(start + 20_000, Kind.DATA_WRITTEN));
      events.add(new Event(start + 30_000, Kind.FLUSH_START));
      events.add(new Event(start + 35_000, Kind.DATASET_FLUSHED));
      events.add(new Event(start + 60_000, Kind.ACK_READY));
      events.add(new Event(start + 80_000, Kind.ACK_SENT));
      latencies[i] = 80_000 + toClient;
    }
    String line = HsyncTail.describe(starts, latencies, events,
        List.of(new Pause(42_000_000L + 100_000, 42_000_000L + 280_000)), List.of());
    assertTrue(line.startsWith("hsyncs >= p99 (980 us): 1, 1 matched"), line);
    assertTrue(line.contains("client to DN write 2% (largest in 0)"), line);
    assertTrue(line.contains("ack to client 92% (largest in 1)"), line);
    assertTrue(line.contains(
        "PMEM dataset's work 2.6% (mean 25.0 us, max 25.0 us in hsync #42)"), line);
    assertTrue(line.contains("a DataNode JVM pause in 1 (18% of their time)"), line);
  }

  @Test
  void readsThePausesOfASafepointLog(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("safepoints.log");
    Files.writeString(log, "[5000000ns] Safepoint \"G1CollectForAllocation\", Time since last:"
        + " 1 ns, Reaching safepoint: 2 ns, Cleanup: 3 ns, At safepoint: 4 ns, Total: 1000000"
        + " ns\n[6000000ns] something else\n");
    List<Pause> pauses = HsyncTail.pauses(log);
    assertTrue(pauses.equals(List.of(new Pause(4_000_000, 5_000_000))), pauses.toString());
    assertTrue(HsyncTail.pauses(dir.resolve("none")).isEmpty());
  }
}
