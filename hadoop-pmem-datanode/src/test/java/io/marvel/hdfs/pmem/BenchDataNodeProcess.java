package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PipelineEvents;
import io.marvel.hdfs.pmem.store.PipelineEvents.Kind;
import java.nio.file.Paths;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.DataNodeFaultInjector;

/**
 * The DataNode process of {@code bench-datanode}: {@link DataNodeProcess} with every packet's
 * steps timed ({@link PipelineEvents}, in the dir named by the system property
 * {@value #EVENTS_DIR}) through Hadoop's {@code DataNodeFaultInjector}, whose hooks the stock
 * and the PMEM DataNode call alike, and the PMEM dataset's own hooks.
 */
public final class BenchDataNodeProcess {
  /** The system property naming the events dir. */
  public static final String EVENTS_DIR = "bench.events.dir";

  private BenchDataNodeProcess() {
  }

  /**
   * @param args the path of the configuration file
   */
  public static void main(String[] args) {
    PipelineEvents events = new PipelineEvents(Paths.get(System.getProperty(EVENTS_DIR)));
    PipelineEvents.recordDataset(events);
    DataNodeFaultInjector.set(new DataNodeFaultInjector() {
      @Override
      public void delayWriteToDisk() {
        events.record(Kind.DATA_WRITTEN);
      }

      @Override
      public void delay() {
        // Called at the start of flushOrSync, and by the responder before each ack.
        if (!Thread.currentThread().getName().startsWith("PacketResponder")) {
          events.record(Kind.FLUSH_START);
        }
      }

      @Override
      public void delaySendingAckToUpstream(String upstreamAddr) {
        events.record(Kind.ACK_READY);
      }

      @Override
      public void logDelaySendingAckToUpstream(String upstreamAddr, long delayMs) {
        events.record(Kind.ACK_SENT);
      }

      @Override
      public void delayAckLastPacket() {
        events.dumpIfAsked();
      }
    });
    DataNode.main(new String[] {"-conf", args[0]});
  }
}
