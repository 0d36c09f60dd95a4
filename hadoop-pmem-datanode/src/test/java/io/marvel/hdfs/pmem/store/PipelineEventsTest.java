package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.hdfs.pmem.store.PipelineEvents.Event;
import io.marvel.hdfs.pmem.store.PipelineEvents.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineEventsTest {
  @Test
  void writesItsEventsOnlyWhenAsked(@TempDir Path dir) throws IOException {
    PipelineEvents events = new PipelineEvents(dir);
    events.record(Kind.DATA_WRITTEN);
    events.dumpIfAsked();
    assertTrue(PipelineEvents.read(dir).isEmpty());

    PipelineEvents.ask(dir);
    events.record(Kind.FLUSH_START);
    events.dumpIfAsked();
    List<Event> read = PipelineEvents.read(dir);
    assertEquals(List.of(Kind.DATA_WRITTEN, Kind.FLUSH_START),
        read.stream().map(Event::kind).toList());
    assertTrue(read.get(0).nanos() <= read.get(1).nanos());

    // Asked once, written once: a later block end leaves the dump alone.
    events.record(Kind.ACK_SENT);
    events.dumpIfAsked();
    assertEquals(2, PipelineEvents.read(dir).size());
  }
}
