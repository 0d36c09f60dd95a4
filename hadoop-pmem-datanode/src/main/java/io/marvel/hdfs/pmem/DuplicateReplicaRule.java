package io.marvel.hdfs.pmem;

import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.Replica;

/**
 * Decides which replica to keep when one block is found both in a PMEM volume and in the stock
 * dataset, as a crash between the two halves of a same-node move leaves it (see
 * {@link ReplicaRelocation}: the copy is finalized before its source is deleted). Stateless.
 *
 * <p>The rule, in order: the newer generation stamp wins, since the other replica missed an
 * append or a recovery; with equal stamps the longer replica wins, since the shorter one holds a
 * prefix of it; then a finalized replica beats one still waiting for recovery. What is left are
 * two copies of the same bytes, and nothing on the volumes tells which way the interrupted move
 * was heading (PMEM block files are recycled, so their times say nothing, and the move keeps no
 * journal): the PMEM replica is kept, the faster copy and the destination of the mover's usual
 * direction. A wrong guess costs no data; the mover moves the block again if its storage policy
 * asks for another storage type.
 */
final class DuplicateReplicaRule {
  private DuplicateReplicaRule() {
  }

  /** Which of the two replicas stays. */
  enum Keep {
    PMEM, STOCK
  }

  /**
   * The decision and the reason an operator reads in the log.
   *
   * @param keep the replica kept
   * @param reason why, in a few words
   */
  record Decision(Keep keep, String reason) {
  }

  /**
   * What the rule compares of a replica.
   *
   * @param generationStamp the replica's generation stamp
   * @param bytes its length in bytes (the durable length of a replica not finalized)
   * @param finalized whether it is finalized
   */
  record Version(long generationStamp, long bytes, boolean finalized) {
    /** @return the version of {@code replica} */
    static Version of(Replica replica) {
      return new Version(replica.getGenerationStamp(), replica.getNumBytes(),
          replica.getState() == ReplicaState.FINALIZED);
    }
  }

  /**
   * @param pmem the PMEM replica
   * @param stock the stock replica of the same block
   * @return which one to keep, and why
   */
  static Decision choose(Version pmem, Version stock) {
    if (pmem.generationStamp() != stock.generationStamp()) {
      return new Decision(pmem.generationStamp() > stock.generationStamp() ? Keep.PMEM
          : Keep.STOCK, "newer generation stamp");
    }
    if (pmem.bytes() != stock.bytes()) {
      return new Decision(pmem.bytes() > stock.bytes() ? Keep.PMEM : Keep.STOCK, "longer");
    }
    if (pmem.finalized() != stock.finalized()) {
      return new Decision(pmem.finalized() ? Keep.PMEM : Keep.STOCK, "finalized");
    }
    return new Decision(Keep.PMEM, "same bytes, PMEM preferred");
  }
}
