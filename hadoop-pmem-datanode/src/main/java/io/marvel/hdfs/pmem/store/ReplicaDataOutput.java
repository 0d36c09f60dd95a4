package io.marvel.hdfs.pmem.store;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The data stream a DataNode's block receiver writes a PMEM replica through. Writes are copied
 * into the mapping with cache flushes; {@link #flush()} (called by the receiver after every
 * packet, for hflush and hsync alike) fences them and durably records the new length, once the
 * checksum stream holds the checksums of every byte (see {@link ReplicaMetaOutput#covers}).
 * Used by one receiver thread at a time.
 */
final class ReplicaDataOutput extends OutputStream {
  private final PmemReplica replica;
  private final BlockFile file;
  private final ReplicaMetaOutput checksums;
  private long position;
  /** Whether data was written since the last flush (one packet's). */
  private boolean inPacket;

  ReplicaDataOutput(PmemReplica replica, BlockFile file, ReplicaMetaOutput checksums,
      long position) {
    this.replica = replica;
    this.file = file;
    this.checksums = checksums;
    this.position = position;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] src, int offset, int count) throws IOException {
    if (!inPacket) {
      inPacket = true;
      PmemFaultInjector.get().beforePacketData();
    }
    long capacity = file.layout().dataCapacity();
    if (count > capacity - position) {
      throw new IOException("block " + replica.getBlockId() + " outgrows its PMEM block file "
          + file.path() + ": " + (position + count) + " bytes > capacity " + capacity
          + "; raise dfs.datanode.pmem.block-capacity to the largest block size clients use");
    }
    try {
      file.writeData(position, src, offset, count);
    } catch (IllegalStateException e) {
      throw new IOException("block file " + file.path() + " was closed during a write", e);
    }
    position += count;
    checksums.dataWritten();
  }

  /**
   * Makes everything written so far durable, with its checksums, and records its length. Does
   * nothing while checksums are missing: the receiver flushes data before it rewrites the last
   * partial chunk's checksum, and recording the length then would pair it with the old checksum.
   */
  @Override
  public void flush() throws IOException {
    if (checksums.covers(position)) {
      file.commitLength(position);
    }
    inPacket = false;
    PmemFaultInjector.get().afterPacketFlush();
  }
}
