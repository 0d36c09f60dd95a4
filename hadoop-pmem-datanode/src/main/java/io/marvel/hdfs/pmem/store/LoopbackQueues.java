package io.marvel.hdfs.pmem.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells whether TCP connections between loopback addresses still hold bytes that were sent on
 * them, from the kernel's socket tables ({@code /proc/net/tcp} and {@code /proc/net/tcp6} of
 * this network namespace). A file whose pages {@code sendfile} lent to such a connection may be
 * reused once the connection holds none of them: every byte is acknowledged (the sending
 * socket's queue, unsent plus unacknowledged bytes, is empty or the socket is gone) and read
 * (the receiving socket's queue is empty or the socket is gone; closing a socket frees what it
 * held unread). A byte that was acknowledged and read is never delivered again, so the pages
 * it came from may change. Both ends of a loopback connection are sockets of this namespace,
 * which is why only loopback connections can be checked: the peer of any other address may be
 * a socket of this kernel in another namespace (a container behind a virtual link), holding
 * the pages unread where no table of ours shows it.
 *
 * <p>Thread-safe; each call reads the tables afresh.
 */
final class LoopbackQueues {
  private static final List<Path> TABLES = List.of(Paths.get("/proc/net/tcp"),
      Paths.get("/proc/net/tcp6"));
  /** TCP states (the kernel's numbers) after this socket sent its FIN, before it was acked. */
  private static final int FIN_WAIT1 = 4;
  private static final int CLOSING = 11;
  private static final int LAST_ACK = 9;
  /** The peer's FIN arrived; the owner may not have read the end of the stream yet. */
  private static final int CLOSE_WAIT = 8;

  /** One connection as seen from the socket that sent: its own address and the peer's. */
  record Connection(InetSocketAddress local, InetSocketAddress remote) {
    /** @return the connection seen from the peer's socket */
    Connection reversed() {
      return new Connection(remote, local);
    }

    /** @return true when both ends are loopback addresses, the connections this class checks */
    boolean isLoopback() {
      return local.getAddress().isLoopbackAddress() && remote.getAddress().isLoopbackAddress();
    }
  }

  /** The queues of one socket in bytes: to send or acknowledge, and received but not read. */
  record Queues(long unacknowledged, long unread) {
  }

  private final List<Path> tables;

  LoopbackQueues() {
    this(TABLES);
  }

  /** Reads the given tables instead of the kernel's (tests). */
  LoopbackQueues(List<Path> tables) {
    this.tables = tables;
  }

  /**
   * @param sent loopback connections bytes were sent on, each from the sending socket's side
   * @return true when none of them holds a byte sent on it: all are acknowledged and read
   * @throws IllegalArgumentException if a connection is not between loopback addresses
   * @throws IOException if a table cannot be read
   */
  boolean allDelivered(Collection<Connection> sent) throws IOException {
    if (sent.isEmpty()) {
      return true;
    }
    for (Connection connection : sent) {
      if (!connection.isLoopback()) {
        throw new IllegalArgumentException(connection + " is not between loopback addresses");
      }
    }
    Map<Connection, Queues> sockets = read();
    for (Connection connection : sent) {
      Queues sender = sockets.get(connection);
      Queues receiver = sockets.get(connection.reversed());
      if (sender != null && sender.unacknowledged() != 0
          || receiver != null && receiver.unread() != 0) {
        return false;
      }
    }
    return true;
  }

  /** @return every socket of the tables by its connection */
  Map<Connection, Queues> read() throws IOException {
    Map<Connection, Queues> sockets = new HashMap<>();
    for (Path table : tables) {
      List<String> lines;
      try {
        lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
      } catch (NoSuchFileException e) {
        continue; // no IPv6 in this kernel
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        parse(line, sockets, table);
      }
    }
    return sockets;
  }

  /** Parses "sl local rem st tx_queue:rx_queue ..." with hexadecimal fields, FINs left out. */
  private static void parse(String line, Map<Connection, Queues> sockets, Path table)
      throws IOException {
    String[] fields = line.trim().split("\\s+");
    if (fields.length < 5) {
      throw new IOException("unexpected line in " + table + ": " + line);
    }
    String[] queues = fields[4].split(":");
    try {
      Connection connection = new Connection(address(fields[1]), address(fields[2]));
      int state = Integer.parseInt(fields[3], 16);
      // The queues count a FIN as a byte: the one sent until it is acknowledged, the one
      // received until the socket's owner reads the end of the stream. Neither is data.
      long unacknowledged = Math.max(0, Long.parseLong(queues[0], 16)
          - (state == FIN_WAIT1 || state == CLOSING || state == LAST_ACK ? 1 : 0));
      long unread = Math.max(0, Long.parseLong(queues[1], 16)
          - (state == CLOSE_WAIT || state == CLOSING || state == LAST_ACK ? 1 : 0));
      // A connection may be listed twice (a closed one and its successor): keep the most.
      sockets.merge(connection, new Queues(unacknowledged, unread), (a, b) -> new Queues(
              Math.max(a.unacknowledged(), b.unacknowledged()), Math.max(a.unread(), b.unread())));
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException | UncheckedIOException e) {
      throw new IOException("unexpected line in " + table + ": " + line, e);
    }
  }

  /**
   * Parses "0100007F:1F90": the address as 32-bit words in the kernel's byte order
   * (little-endian: native-pmem is built for x86-64 only), then the port.
   */
  static InetSocketAddress address(String field) {
    int colon = field.indexOf(':');
    String hex = field.substring(0, colon);
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = word * 8 + (3 - i) * 2;
        bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      // An IPv4-mapped IPv6 address comes back as the IPv4 address, as Java's sockets report it.
      return new InetSocketAddress(InetAddress.getByAddress(bytes),
          Integer.parseInt(field.substring(colon + 1), 16));
    } catch (UnknownHostException e) {
      throw new UncheckedIOException("address of " + bytes.length + " bytes in " + field, e);
    }
  }
}
