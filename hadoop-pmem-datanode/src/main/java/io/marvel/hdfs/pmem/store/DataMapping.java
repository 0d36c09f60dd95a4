package io.marvel.hdfs.pmem.store;

import io.marvel.hdfs.pmem.store.LoopbackQueues.Connection;
import io.marvel.pmem.PmemRegion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mapping of a block file's data file and the length every data access stays below: the
 * data capacity, or the replica's length once it is finalized and the file trimmed
 * (short-circuit readers take the end of the file for the end of the block). Trimming keeps the
 * mapping; growing back to the capacity maps the file again when the old mapping is too short.
 * The owning {@link BlockFile} calls {@link #trim} and {@link #grow} under its guard's exclusive
 * lock and reads {@link #region()} under a shared one.
 */
final class DataMapping {
  /** Null for a finalized empty replica opened after a restart. */
  private PmemRegion region;
  private volatile long limit;
  /**
   * Set when sockets got the file's pages by reference where nothing can tell when they let go
   * of them: through the mapping of a replaced region, or by sendfile to a connection that is
   * not between loopback addresses (see {@link LoopbackQueues}).
   */
  private volatile boolean lentUnchecked;
  /** Loopback connections sendfile lent the file's pages to, from the sending socket's side. */
  private final Set<Connection> lentTo = ConcurrentHashMap.newKeySet();
  /** The socket of the last {@link #noteLentBySendfile} call, to skip noting it per packet. */
  private volatile SocketChannel lastSocket;

  DataMapping(PmemRegion region, long limit) {
    this.region = region;
    this.limit = limit;
  }

  /** @return the data file's mapping, or null when it has none (an empty finalized replica) */
  PmemRegion region() {
    return region;
  }

  /** @return the length every data access stays below */
  long limit() {
    return limit;
  }

  /**
   * @return true once sockets got data pages by reference, from this mapping or one it replaced
   */
  boolean hasLentPages() {
    return lentUncheckable() || !lentTo.isEmpty();
  }

  /**
   * @return true when sockets got pages by reference where nothing tells when they let go of
   *     them (through the mapping, or to a connection not between loopback addresses)
   */
  boolean lentUncheckable() {
    PmemRegion current = region;
    return lentUnchecked || (current != null && current.hasLentPages());
  }

  /** @return the loopback connections that got pages by sendfile */
  List<Connection> lentTo() {
    return List.copyOf(lentTo);
  }

  /** Forgets the loopback connections lent to, once each has delivered every byte sent. */
  void forgetDeliveredLends() {
    lentTo.clear();
    lastSocket = null;
  }

  /**
   * Notes that {@code socket} gets the data file's pages by sendfile, not through the mapping;
   * called before each send.
   *
   * @throws IOException if the socket's addresses cannot be read (it is closed)
   */
  void noteLentBySendfile(SocketChannel socket) throws IOException {
    if (socket == lastSocket) {
      return;
    }
    SocketAddress local = socket.getLocalAddress();
    SocketAddress remote = socket.getRemoteAddress();
    if (local instanceof InetSocketAddress l && remote instanceof InetSocketAddress r
        && new Connection(l, r).isLoopback()) {
      lentTo.add(new Connection(l, r));
    } else {
      lentUnchecked = true;
    }
    lastSocket = socket;
  }

  /**
   * Cuts the data file {@code path} to {@code length}; not durable.
   *
   * @throws IllegalArgumentException if {@code length} is negative or above the limit
   * @throws IOException if truncating fails
   */
  void trim(Path path, long length) throws IOException {
    if (length < 0 || length > limit) {
      throw new IllegalArgumentException("cannot trim data file " + path + " of " + limit
          + " bytes to " + length);
    }
    if (length < limit) {
      DataFileLength.truncate(path, length);
      limit = length;
    }
  }

  /**
   * Grows the data file {@code path} back to {@code full} bytes, allocated by the file system
   * and synced, and maps it again when the mapping is too short. On failure the
   * file gets its length back.
   *
   * @throws IOException if the volume has no room, syncing or mapping fails
   */
  void grow(Path path, long full, Durability durability) throws IOException {
    if (limit == full) {
      return;
    }
    try {
      DataFileLength.allocate(path, limit, full);
      durability.syncFile(path);
      if (region == null || region.length() < full) {
        PmemRegion old = region;
        region = PmemRegion.open(path);
        if (old != null) {
          // The file's pages are the same: what sockets were lent still counts.
          lentUnchecked |= old.hasLentPages();
          old.close();
        }
      }
    } catch (IOException | RuntimeException e) {
      DataFileLength.truncate(path, limit);
      throw e;
    }
    limit = full;
  }

  /** @return a mapping for the new owner of the same files, with what this one lent */
  DataMapping copy() {
    DataMapping copy = new DataMapping(region, limit);
    copy.lentUnchecked = lentUnchecked;
    copy.lentTo.addAll(lentTo);
    return copy;
  }
}
