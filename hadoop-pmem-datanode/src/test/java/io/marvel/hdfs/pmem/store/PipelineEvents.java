package io.marvel.hdfs.pmem.store;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Timestamps ({@link System#nanoTime}, the system's monotonic clock, comparable between the
 * JVMs of one machine) of the steps a DataNode takes for each packet, kept in a ring of fixed
 * size so that recording allocates nothing. The benchmark asks for them by creating the marker
 * file; the DataNode then writes them out at the end of the next block it receives. For
 * {@code bench-datanode}'s hsync breakdown only. Recording is thread-safe; a dump racing a
 * recording may show that one event torn.
 */
public final class PipelineEvents {
  /** What happened. */
  public enum Kind {
    /** The PMEM dataset got a packet's first data bytes (PMEM replicas only). */
    DATASET_DATA,
    /** The block receiver wrote the packet's data into the replica. */
    DATA_WRITTEN,
    /** The block receiver starts flushing (and syncing) the packet. */
    FLUSH_START,
    /** The PMEM dataset's flush returned: data fenced, length recorded (PMEM replicas only). */
    DATASET_FLUSHED,
    /** The packet responder starts sending the packet's ack. */
    ACK_READY,
    /** The packet responder sent the ack. */
    ACK_SENT
  }

  /** One recorded event. */
  public record Event(long nanos, Kind kind) {
  }

  private static final int CAPACITY = 1 << 17;
  private static final String EVENTS = "events.txt";
  private static final String MARKER = "dump-next-block";

  private final long[] nanos = new long[CAPACITY];
  private final byte[] kinds = new byte[CAPACITY];
  private final AtomicLong next = new AtomicLong();
  private final Path dir;

  /** @param dir where the marker and the dump go */
  public PipelineEvents(Path dir) {
    this.dir = dir;
  }

  /** Records {@code kind} now. */
  public void record(Kind kind) {
    long now = System.nanoTime();
    int slot = (int) (next.getAndIncrement() & (CAPACITY - 1));
    nanos[slot] = now;
    kinds[slot] = (byte) kind.ordinal();
  }

  /** Writes the events out (and removes the marker) if the marker file exists. */
  public void dumpIfAsked() {
    Path marker = dir.resolve(MARKER);
    if (!Files.exists(marker)) {
      return;
    }
    long end = next.get();
    Path tmp = dir.resolve(EVENTS + ".tmp");
    try {
      try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(tmp))) {
        for (long i = Math.max(0, end - CAPACITY); i < end; i++) {
          int slot = (int) (i & (CAPACITY - 1));
          out.println(nanos[slot] + " " + kinds[slot]);
        }
      }
      Files.move(tmp, dir.resolve(EVENTS), StandardCopyOption.REPLACE_EXISTING);
      Files.delete(marker);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the pipeline events to " + dir, e);
    }
  }

  /** Asks the DataNode recording into {@code dir} to write its events at its next block end. */
  public static void ask(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(EVENTS));
    Files.createFile(dir.resolve(MARKER));
  }

  /** @return the events written to {@code dir}, oldest first, or none if there are none */
  public static List<Event> read(Path dir) throws IOException {
    List<Event> events = new ArrayList<>();
    Path file = dir.resolve(EVENTS);
    if (!Files.exists(file)) {
      return events;
    }
    Kind[] all = Kind.values();
    for (String line : Files.readAllLines(file)) {
      String[] fields = line.split(" ");
      events.add(new Event(Long.parseLong(fields[0]), all[Integer.parseInt(fields[1])]));
    }
    // Two threads record: the ring's order is not quite the order in time.
    events.sort(Comparator.comparingLong(Event::nanos));
    return events;
  }

  /** Has the PMEM dataset record its share of each packet into {@code events}. */
  public static void recordDataset(PipelineEvents events) {
    PmemFaultInjector.set(new PmemFaultInjector() {
      @Override
      void beforePacketData() {
        events.record(Kind.DATASET_DATA);
      }

      @Override
      void afterPacketFlush() {
        events.record(Kind.DATASET_FLUSHED);
      }
    });
  }
}
