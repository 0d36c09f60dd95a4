package io.marvel.hdfs.pmem.store;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.BlockMetadataHeader;
import org.apache.hadoop.hdfs.server.datanode.ChunkChecksum;
import org.apache.hadoop.hdfs.server.datanode.FinalizedReplica;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInPipeline;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInfo;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.ReplicaOutputStreams;
import org.apache.hadoop.hdfs.server.protocol.ReplicaRecoveryInfo;
import org.apache.hadoop.util.DataChecksum;

/**
 * A replica stored in a PMEM {@link BlockFile}, in any HDFS state. The in-memory state follows
 * the HDFS replica life cycle (TEMPORARY, RBW, FINALIZED, RWR after a restart, RUR during
 * recovery); each transition that must survive a crash is written to the file header first.
 *
 * <p>Thread safety: state is guarded by this object's monitor; one writer thread at a time
 * (see {@link #attemptToSetWriter}) writes data.
 *
 * <p>Over 400 lines because it implements Hadoop's {@code ReplicaInPipeline} (and
 * {@code Replica}): close to forty methods that the DataNode calls on a replica, each a few
 * lines over this replica's state and its {@link BlockFile}.
 */
public final class PmemReplica implements ReplicaInPipeline {
  private final long blockId;
  private final FsVolumeSpi volume;
  private final BlockFile file;
  private final WriterSlot writer = new WriterSlot();
  private ReplicaState state;
  private ReplicaState originalState;
  private long generationStamp;
  private long numBytes;
  private long bytesOnDisk;
  private long bytesAcked;
  private byte[] lastChecksum;
  private long recoveryId;

  /**
   * @param blockId the block id
   * @param generationStamp its generation stamp
   * @param state the in-memory state
   * @param length bytes of data present (and durable)
   * @param volume the volume holding the file
   * @param file the replica's file, whose header matches these values
   */
  public PmemReplica(long blockId, long generationStamp, ReplicaState state, long length,
      FsVolumeSpi volume, BlockFile file) {
    this.blockId = blockId;
    this.generationStamp = generationStamp;
    this.state = state;
    this.numBytes = length;
    this.bytesOnDisk = length;
    this.bytesAcked = length;
    this.volume = volume;
    this.file = file;
  }

  /** @return the block file */
  public BlockFile file() {
    return file;
  }

  @Override
  public long getBlockId() {
    return blockId;
  }

  @Override
  public synchronized long getGenerationStamp() {
    return generationStamp;
  }

  @Override
  public synchronized ReplicaState getState() {
    return state;
  }

  @Override
  public synchronized long getNumBytes() {
    return numBytes;
  }

  @Override
  public synchronized long getBytesOnDisk() {
    return bytesOnDisk;
  }

  @Override
  public synchronized long getVisibleLength() {
    return visibleLength(state);
  }

  private long visibleLength(ReplicaState s) {
    return switch (s) {
      case FINALIZED -> numBytes;
      case RBW -> bytesAcked;
      case RUR -> visibleLength(originalState);
      case TEMPORARY, RWR -> -1;
    };
  }

  @Override
  public String getStorageUuid() {
    return volume.getStorageID();
  }

  @Override
  public boolean isOnTransientStorage() {
    return false;
  }

  @Override
  public FsVolumeSpi getVolume() {
    return volume;
  }

  @Override
  public synchronized void setNumBytes(long bytesReceived) {
    numBytes = bytesReceived;
  }

  @Override
  public synchronized long getBytesAcked() {
    return bytesAcked;
  }

  @Override
  public synchronized void setBytesAcked(long acked) {
    bytesAcked = acked;
  }

  /** PMEM block files are allocated whole when created, so nothing is ever reserved. */
  @Override
  public void releaseAllBytesReserved() {
  }

  /** PMEM block files are allocated whole when created, so nothing is ever reserved. */
  @Override
  public void releaseReplicaInfoBytesReserved() {
  }

  @Override
  public synchronized void setLastChecksumAndDataLen(long dataLength, byte[] checksum) {
    bytesOnDisk = dataLength;
    lastChecksum = checksum;
    notifyAll();
  }

  @Override
  public synchronized ChunkChecksum getLastChecksumAndDataLen() {
    return new ChunkChecksum(bytesOnDisk, lastChecksum);
  }

  /**
   * Opens the streams a block receiver writes through, positioned after the data present.
   *
   * @param isCreate true for a new replica: the receiver writes the meta header with
   *     {@code requestedChecksum} first; false to continue with the checksum already recorded
   * @throws IOException if the recorded meta header is unreadable or the chunk size does not
   *     fit the file's layout
   */
  @Override
  public ReplicaOutputStreams createStreams(boolean isCreate, DataChecksum requestedChecksum)
      throws IOException {
    DataChecksum checksum = isCreate ? requestedChecksum : readChecksum();
    checkFits(checksum);
    long dataLength = getBytesOnDisk();
    long metaPosition = isCreate ? 0 : BlockFileLayout.metaLength(
        checksum.getBytesPerChecksum(), checksum.getChecksumSize(), dataLength);
    ReplicaMetaOutput checksums = new ReplicaMetaOutput(file, checksum, metaPosition);
    return new ReplicaOutputStreams(new ReplicaDataOutput(this, file, checksums, dataLength),
        checksums, checksum, volume, volume.getFileIoProvider());
  }

  private void checkFits(DataChecksum checksum) throws IOException {
    long needed = BlockFileLayout.metaLength(checksum.getBytesPerChecksum(),
        checksum.getChecksumSize(), file.layout().dataCapacity());
    if (needed > file.layout().metaCapacity()) {
      throw new IOException("block " + blockId + ": checksums of " + checksum.getChecksumSize()
          + " bytes every " + checksum.getBytesPerChecksum() + " bytes need " + needed
          + " bytes of meta data but PMEM block file " + file.path() + " has room for "
          + file.layout().metaCapacity() + "; lower dfs.datanode.pmem.min-bytes-per-checksum");
    }
  }

  /**
   * @return the checksum algorithm recorded in the meta header
   * @throws IOException if the header is not valid
   */
  public DataChecksum readChecksum() throws IOException {
    try (DataInputStream in = new DataInputStream(BlockArea.META.stream(file, 0,
        BlockFileLayout.META_HEADER_BYTES))) {
      return BlockMetadataHeader.readDataChecksum(in, file.path());
    }
  }

  /**
   * @return bytes of meta data covering the data present
   * @throws IOException if the meta header is not valid
   */
  public long metaLength() throws IOException {
    DataChecksum checksum = readChecksum();
    return BlockFileLayout.metaLength(checksum.getBytesPerChecksum(),
        checksum.getChecksumSize(), getBytesOnDisk());
  }

  /**
   * The stream a DataNode shutting down for a quick restart (rolling upgrade) writes the
   * replica's restart deadline to (ms since the epoch, as text). It goes to a small side file
   * next to the block file; {@link VolumeScan} then brings the replica back as being written
   * rather than waiting for recovery, so the client's pipeline continues.
   */
  @Override
  public OutputStream createRestartMetaStream() {
    Path sidecar = VolumeScan.restartFile(file.path());
    return new ByteArrayOutputStream() {
      @Override
      public void close() throws IOException {
        Files.write(sidecar, toByteArray());
      }
    };
  }

  /**
   * A stock {@link ReplicaInfo} describing this replica (id, length, stamp, volume), for the
   * Hadoop callers whose signatures demand one. It performs no I/O on this replica's file.
   */
  @Override
  public synchronized ReplicaInfo getReplicaInfo() {
    return new FinalizedReplica(blockId, numBytes, generationStamp, volume,
        file.path().getParent().toFile());
  }

  @Override
  public void setWriter(Thread thread) {
    writer.set(thread);
  }

  @Override
  public void interruptThread() {
    writer.interrupt();
  }

  @Override
  public boolean attemptToSetWriter(Thread prevWriter, Thread newWriter) {
    return writer.compareAndSet(prevWriter, newWriter);
  }

  @Override
  public void stopWriter(long xceiverStopTimeout) throws IOException {
    writer.stop(xceiverStopTimeout, this);
  }

  @Override
  public synchronized void waitForMinLength(long minLength, long time, TimeUnit unit)
      throws IOException {
    long deadline = System.nanoTime() + unit.toNanos(time);
    while (bytesOnDisk < minLength) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException("block " + blockId + ": need " + minLength + " bytes but only "
            + bytesOnDisk + " are written");
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted waiting for block " + blockId, e);
      }
    }
  }

  /**
   * Durably marks the replica complete at its current length, then trims its data file to that
   * length, as short-circuit readers expect of a finalized block file.
   *
   * @throws IOException if bytes received exceed bytes written, persisting or trimming fails
   */
  public synchronized void finalizeReplica() throws IOException {
    if (numBytes != bytesOnDisk) {
      throw new IOException("cannot finalize block " + blockId + ": " + numBytes
          + " bytes received but " + bytesOnDisk + " written to " + file.path());
    }
    file.writeHeader(file.header().withLength(bytesOnDisk).withState(BlockFileState.FINALIZED));
    state = ReplicaState.FINALIZED;
    bytesAcked = numBytes;
    file.trimData(bytesOnDisk);
  }

  /**
   * Durably reopens the replica for writing (append, pipeline recovery, recovered close
   * excepted) under a new generation stamp.
   *
   * @param newStamp the new generation stamp
   * @throws IOException if the trimmed data file of a finalized replica cannot get its capacity
   *     back (volume full) or persisting fails
   */
  public synchronized void reopen(long newStamp) throws IOException {
    file.growData();
    file.writeHeader(file.header().withState(BlockFileState.RBW)
        .withGenerationStamp(newStamp).withLength(bytesOnDisk));
    state = ReplicaState.RBW;
    generationStamp = newStamp;
    bytesAcked = Math.min(bytesAcked, bytesOnDisk);
    numBytes = bytesOnDisk;
  }

  /**
   * Durably turns a temporary replica into one being written.
   *
   * @throws IOException if persisting fails
   */
  public synchronized void convertToRbw() throws IOException {
    file.writeHeader(file.header().withState(BlockFileState.RBW));
    state = ReplicaState.RBW;
  }

  /**
   * Durably changes the generation stamp.
   *
   * @param newStamp the new stamp
   * @throws IOException if persisting fails
   */
  public synchronized void setGenerationStamp(long newStamp) throws IOException {
    file.writeHeader(file.header().withGenerationStamp(newStamp));
    generationStamp = newStamp;
  }

  /**
   * Puts the replica under recovery {@code id}, remembering its state before.
   *
   * @param id the recovery id
   * @return the recovery info the NameNode's recovery coordinator expects
   */
  public synchronized ReplicaRecoveryInfo startRecovery(long id) {
    if (state != ReplicaState.RUR) {
      originalState = state;
      state = ReplicaState.RUR;
    }
    recoveryId = id;
    return new ReplicaRecoveryInfo(blockId, bytesOnDisk, generationStamp, originalState);
  }

  /** @return the current recovery id (0 when never under recovery) */
  public synchronized long getRecoveryId() {
    return recoveryId;
  }

  /**
   * Shortens the replica to {@code newLength} bytes: durably records the length, then rewrites
   * the checksum of the new last partial chunk. In this order a crash between the two leaves
   * the new length with a stale checksum, which the restart scan repairs (see
   * {@link #repairLastChunkChecksum}), and never the old length with a full chunk's checksum
   * overwritten.
   *
   * @param newLength the length, at most the current one
   * @throws IOException if reading the checksum or persisting fails
   */
  public synchronized void truncate(long newLength) throws IOException {
    if (newLength > bytesOnDisk || newLength < 0) {
      throw new IOException("cannot truncate block " + blockId + " of " + bytesOnDisk
          + " bytes to " + newLength);
    }
    DataChecksum checksum = readChecksum();
    file.commitLength(newLength);
    numBytes = newLength;
    bytesOnDisk = newLength;
    bytesAcked = Math.min(bytesAcked, newLength);
    writeLastChunkChecksum(checksum, newLength);
  }

  /**
   * Makes the checksum of the last partial chunk match the data, after a restart: the block
   * receiver overwrites it in place before the longer length is recorded, so a crash in between
   * leaves the recorded length with the longer chunk's checksum. The data up to the recorded
   * length is durable and unchanged since, so its checksum is computed again.
   *
   * @return true when the checksum was wrong and is now rewritten
   * @throws IOException if the meta header is unreadable or persisting fails
   */
  public synchronized boolean repairLastChunkChecksum() throws IOException {
    if (bytesOnDisk == 0) {
      return false;
    }
    return writeLastChunkChecksum(readChecksum(), bytesOnDisk);
  }

  /** Durably writes the checksum of the partial chunk ending at {@code length}, if it differs. */
  private boolean writeLastChunkChecksum(DataChecksum checksum, long length) throws IOException {
    int chunk = checksum.getBytesPerChecksum();
    long partial = length % chunk;
    if (partial == 0 || checksum.getChecksumSize() == 0) {
      return false;
    }
    byte[] data = new byte[(int) partial];
    file.readData(length - partial, data, 0, data.length);
    checksum.reset();
    checksum.update(data, 0, data.length);
    byte[] sum = new byte[checksum.getChecksumSize()];
    checksum.writeValue(sum, 0, true);
    long at = BlockFileLayout.META_HEADER_BYTES + (length / chunk) * sum.length;
    byte[] stored = new byte[sum.length];
    file.readMeta(at, stored, 0, stored.length);
    if (Arrays.equals(sum, stored)) {
      return false;
    }
    PmemFaultInjector.get().beforeChecksumRewrite(file.metaPath());
    file.writeMeta(at, sum, 0, sum.length);
    PmemFaultInjector.get().afterChecksumRewrite(file.metaPath());
    file.commitLength(length);
    return true;
  }

  /**
   * Durably finishes recovery: sets the stamp and finalizes, then trims the data file.
   *
   * @param newStamp the recovery id that becomes the generation stamp
   * @throws IOException if persisting or trimming fails
   */
  public synchronized void completeRecovery(long newStamp) throws IOException {
    file.writeHeader(file.header().withGenerationStamp(newStamp).withLength(bytesOnDisk)
        .withState(BlockFileState.FINALIZED));
    generationStamp = newStamp;
    state = ReplicaState.FINALIZED;
    numBytes = bytesOnDisk;
    bytesAcked = bytesOnDisk;
    file.trimData(bytesOnDisk);
  }

  @Override
  public synchronized String toString() {
    return "PmemReplica[blk_" + blockId + "_" + generationStamp + ", " + state + ", bytes "
        + numBytes + "/" + bytesOnDisk + "/" + bytesAcked + ", " + file.path() + "]";
  }
}
