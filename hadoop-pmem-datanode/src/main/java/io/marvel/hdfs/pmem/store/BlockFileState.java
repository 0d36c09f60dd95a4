package io.marvel.hdfs.pmem.store;

/**
 * The state of a block file as recorded in its persistent header. It is what survives a crash;
 * the in-memory replica states of HDFS (RWR, RUR) are derived from it on restart.
 */
public enum BlockFileState {
  /** Prepared or recycled file holding no replica. */
  FREE(0),
  /** A replica being copied between DataNodes or volumes; discarded on restart. */
  TEMPORARY(1),
  /** A replica being written by a client pipeline; comes back as waiting-to-be-recovered. */
  RBW(2),
  /** A complete replica. */
  FINALIZED(3);

  private final int code;

  BlockFileState(int code) {
    this.code = code;
  }

  /** @return the byte stored in the header */
  int code() {
    return code;
  }

  /**
   * @param code a header byte
   * @return the state it encodes
   * @throws IllegalArgumentException for an unknown code
   */
  static BlockFileState fromCode(int code) {
    for (BlockFileState state : values()) {
      if (state.code == code) {
        return state;
      }
    }
    throw new IllegalArgumentException("unknown block file state " + code);
  }
}
