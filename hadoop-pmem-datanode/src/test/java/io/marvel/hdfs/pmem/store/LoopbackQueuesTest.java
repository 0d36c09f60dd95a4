package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.hdfs.pmem.store.LoopbackQueues.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackQueuesTest {
  @TempDir
  Path dir;

  @Test
  void parsesTheKernelsAddressNotation() throws Exception {
    assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080),
        LoopbackQueues.address("0100007F:1F90"));
    // An IPv4-mapped address in tcp6 is the IPv4 address, as Java's sockets report it.
    assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80),
        LoopbackQueues.address("0000000000000000FFFF00000100007F:0050"));
    assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 22),
        LoopbackQueues.address("00000000000000000000000001000000:0016"));
  }

  @Test
  void readsEachSocketsQueuesFromATable() throws Exception {
    Path table = dir.resolve("tcp");
    Files.writeString(table, String.join("\n",
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid",
        "   0: 0100007F:1F90 0100007F:9C40 01 00000010:00000000 00:00000000 00000000     0",
        "   1: 0100007F:9C40 0100007F:1F90 01 00000000:00000200 00:00000000 00000000     0",
        "   2: 0100007F:1F91 0100007F:9C41 08 00000000:00000001 00:00000000 00000000     0",
        "   3: 0100007F:9C41 0100007F:1F91 04 00000001:00000000 00:00000000 00000000     0",
        ""));
    LoopbackQueues queues = new LoopbackQueues(List.of(table, dir.resolve("absent")));
    Connection sent = new Connection(LoopbackQueues.address("0100007F:1F90"),
        LoopbackQueues.address("0100007F:9C40"));
    assertEquals(new LoopbackQueues.Queues(16, 0), queues.read().get(sent));
    assertEquals(new LoopbackQueues.Queues(0, 512), queues.read().get(sent.reversed()));
    assertFalse(queues.allDelivered(List.of(sent)));
    // A FIN counts as a byte in both queues (sent, not yet acknowledged; received, not read).
    Connection closing = new Connection(LoopbackQueues.address("0100007F:9C41"),
        LoopbackQueues.address("0100007F:1F91"));
    assertEquals(new LoopbackQueues.Queues(0, 0), queues.read().get(closing));
    assertEquals(new LoopbackQueues.Queues(0, 0), queues.read().get(closing.reversed()));
    assertTrue(queues.allDelivered(List.of(closing)));
  }

  @Test
  void aFinTheReceiverHasNotReadIsNoData() throws Exception {
    LoopbackQueues queues = new LoopbackQueues();
    try (LoopbackSockets sockets = LoopbackSockets.open()) {
      Connection sent = new Connection((InetSocketAddress) sockets.sender.getLocalAddress(),
          (InetSocketAddress) sockets.sender.getRemoteAddress());
      sockets.sender.write(ByteBuffer.allocate(1000));
      sockets.readFully(1000);
      // As a DataNode closes an idle connection a client keeps cached and does not read.
      sockets.sender.close();
      BlockFileFixtures.waitFor(() -> delivered(queues, sent));
    }
  }

  @Test
  void aConnectionHoldsItsBytesUntilThePeerReadsThem() throws Exception {
    LoopbackQueues queues = new LoopbackQueues();
    try (LoopbackSockets sockets = LoopbackSockets.open()) {
      Connection sent = new Connection((InetSocketAddress) sockets.sender.getLocalAddress(),
          (InetSocketAddress) sockets.sender.getRemoteAddress());
      assertTrue(queues.allDelivered(List.of(sent)), "nothing sent yet");
      sockets.sender.write(ByteBuffer.allocate(1000));
      assertFalse(queues.allDelivered(List.of(sent)), "1000 bytes unread");
      sockets.readFully(1000);
      BlockFileFixtures.waitFor(() -> delivered(queues, sent));
    }
  }

  @Test
  void aClosedPeerHoldsNothing() throws Exception {
    LoopbackQueues queues = new LoopbackQueues();
    try (LoopbackSockets sockets = LoopbackSockets.open()) {
      Connection sent = new Connection((InetSocketAddress) sockets.sender.getLocalAddress(),
          (InetSocketAddress) sockets.sender.getRemoteAddress());
      sockets.sender.write(ByteBuffer.allocate(1000));
      assertFalse(queues.allDelivered(List.of(sent)));
      sockets.receiver.close(); // frees what it held unread
      BlockFileFixtures.waitFor(() -> delivered(queues, sent));
    }
  }

  @Test
  void refusesConnectionsItCannotCheck() throws Exception {
    Connection remote = new Connection(new InetSocketAddress("127.0.0.1", 1),
        new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LoopbackQueues().allDelivered(List.of(remote)));
    assertTrue(e.getMessage().contains("is not between loopback addresses"), e.getMessage());
  }

  private static boolean delivered(LoopbackQueues queues, Connection sent) {
    try {
      return queues.allDelivered(List.of(sent));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
