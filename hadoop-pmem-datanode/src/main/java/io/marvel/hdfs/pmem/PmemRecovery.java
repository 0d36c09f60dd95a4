package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PmemReplica;
import java.io.IOException;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.protocol.RecoveryInProgressException;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.ReplicaAlreadyExistsException;
import org.apache.hadoop.hdfs.server.datanode.ReplicaNotFoundException;
import org.apache.hadoop.hdfs.server.protocol.ReplicaRecoveryInfo;

/**
 * The rules by which a PMEM replica is reopened or recovered: pipeline recovery, append, recovered
 * close and the NameNode's block recovery. They follow the HDFS replica protocol; the durable
 * changes are the replica's own. Stateless.
 */
final class PmemRecovery {
  private PmemRecovery() {
  }

  /** Pipeline recovery of a replica being written: keep the acknowledged bytes, new stamp. */
  static void recoverRbw(PmemReplica replica, ExtendedBlock b, long newGS, long minBytesRcvd,
      long maxBytesRcvd, long stopTimeoutMs) throws IOException {
    if (replica.getState() != ReplicaState.RBW) {
      throw new ReplicaNotFoundException(ReplicaNotFoundException.NON_RBW_REPLICA + b);
    }
    replica.stopWriter(stopTimeoutMs);
    replica.setWriter(Thread.currentThread());
    checkStamp(replica, b, newGS);
    long acked = replica.getBytesAcked();
    if (acked < minBytesRcvd || replica.getNumBytes() > maxBytesRcvd) {
      throw new ReplicaNotFoundException("Unmatched length replica " + replica
          + ": BytesAcked = " + acked + " BytesRcvd = " + replica.getNumBytes() + " are not in"
          + " the range of [" + minBytesRcvd + ", " + maxBytesRcvd + "].");
    }
    // Bytes past the acknowledged length may be from a packet nobody else has: drop them.
    if (replica.getBytesOnDisk() > acked) {
      replica.truncate(acked);
    }
    replica.reopen(newGS);
  }

  /** Append to a finalized replica. */
  static void append(PmemReplica replica, ExtendedBlock b, long newGS, long expectedLength)
      throws IOException {
    if (replica.getState() != ReplicaState.FINALIZED) {
      throw new ReplicaNotFoundException(ReplicaNotFoundException.UNFINALIZED_REPLICA + b);
    }
    if (newGS < b.getGenerationStamp()) {
      throw new IOException("The new generation stamp " + newGS + " should be greater than the"
          + " replica " + b + "'s generation stamp");
    }
    checkLength(replica, expectedLength);
    replica.reopen(newGS);
    replica.setWriter(Thread.currentThread());
  }

  /** Append after a failed append: the replica may be finalized or still being written. */
  static void recoverAppend(PmemReplica replica, ExtendedBlock b, long newGS,
      long expectedLength, long stopTimeoutMs) throws IOException {
    checkRecoverable(replica, b, newGS, expectedLength, stopTimeoutMs);
    replica.reopen(newGS);
    replica.setWriter(Thread.currentThread());
  }

  /** Close after a failed close: bump the stamp and finalize. */
  static void recoverClose(PmemReplica replica, ExtendedBlock b, long newGS,
      long expectedLength, long stopTimeoutMs) throws IOException {
    checkRecoverable(replica, b, newGS, expectedLength, stopTimeoutMs);
    replica.setGenerationStamp(newGS);
    if (replica.getState() == ReplicaState.RBW) {
      replica.finalizeReplica();
    }
  }

  private static void checkRecoverable(PmemReplica replica, ExtendedBlock b, long newGS,
      long expectedLength, long stopTimeoutMs) throws IOException {
    ReplicaState state = replica.getState();
    if (state != ReplicaState.FINALIZED && state != ReplicaState.RBW) {
      throw new ReplicaNotFoundException(
          ReplicaNotFoundException.UNFINALIZED_AND_NONRBW_REPLICA + replica);
    }
    checkStamp(replica, b, newGS);
    if (state == ReplicaState.RBW) {
      replica.stopWriter(stopTimeoutMs);
      long length = replica.getNumBytes();
      if (length != replica.getBytesOnDisk() || length != replica.getBytesAcked()) {
        throw new ReplicaAlreadyExistsException("RBW replica " + replica + " bytesRcvd("
            + length + "), bytesOnDisk(" + replica.getBytesOnDisk() + "), and bytesAcked("
            + replica.getBytesAcked() + ") are not the same.");
      }
    }
    checkLength(replica, expectedLength);
  }

  private static void checkStamp(PmemReplica replica, ExtendedBlock b, long newGS)
      throws ReplicaNotFoundException {
    long stamp = replica.getGenerationStamp();
    if (stamp < b.getGenerationStamp() || stamp > newGS) {
      throw new ReplicaNotFoundException(ReplicaNotFoundException.UNEXPECTED_GS_REPLICA
          + replica + ". Expected GS range is [" + b.getGenerationStamp() + ", " + newGS + "].");
    }
  }

  private static void checkLength(PmemReplica replica, long expectedLength) throws IOException {
    if (replica.getNumBytes() != expectedLength) {
      throw new IOException("Corrupted replica " + replica + " with a length of "
          + replica.getNumBytes() + " expected length is " + expectedLength);
    }
  }

  /** First step of the NameNode's block recovery: stop writers, enter RUR. */
  static ReplicaRecoveryInfo init(PmemReplica replica, ExtendedBlock b, long recoveryId,
      long stopTimeoutMs) throws IOException {
    ReplicaState state = replica.getState();
    if (state == ReplicaState.TEMPORARY || state == ReplicaState.RBW) {
      replica.stopWriter(stopTimeoutMs);
    }
    if (replica.getGenerationStamp() < b.getGenerationStamp()) {
      throw new IOException("replica.getGenerationStamp() < block.getGenerationStamp(), block="
          + b + ", replica=" + replica);
    }
    if (replica.getGenerationStamp() >= recoveryId) {
      throw new IOException("replica.getGenerationStamp() >= recoveryId = " + recoveryId
          + ", block=" + b + ", replica=" + replica);
    }
    if (state == ReplicaState.RUR && replica.getRecoveryId() >= recoveryId) {
      throw new RecoveryInProgressException("rur.getRecoveryID() >= recoveryId = " + recoveryId
          + ", block=" + b + ", rur=" + replica);
    }
    return replica.startRecovery(recoveryId);
  }

  /** Last step of block recovery: cut to the agreed length, take the recovery id, finalize. */
  static void update(PmemReplica replica, ExtendedBlock oldBlock, long recoveryId,
      long newBlockId, long newLength) throws IOException {
    if (replica.getState() != ReplicaState.RUR) {
      throw new IOException("replica.getState() != RUR, replica=" + replica);
    }
    if (replica.getRecoveryId() != recoveryId) {
      throw new IOException("rur.getRecoveryID() != recoveryId = " + recoveryId + ", replica="
          + replica);
    }
    if (newBlockId != oldBlock.getBlockId()) {
      throw new IOException("copy-on-truncate recovery (new block id " + newBlockId + ") is not "
          + "supported for PMEM replica " + replica + "; truncate files in snapshots on other "
          + "storage types");
    }
    if (newLength > replica.getBytesOnDisk()) {
      throw new IOException("rur.getNumBytes() < newlength = " + newLength + ", rur="
          + replica);
    }
    if (newLength < replica.getBytesOnDisk()) {
      replica.truncate(newLength);
    }
    replica.completeRecovery(recoveryId);
  }
}
