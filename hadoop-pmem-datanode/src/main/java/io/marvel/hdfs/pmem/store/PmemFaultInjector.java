package io.marvel.hdfs.pmem.store;

import java.nio.file.Path;

/**
 * Hooks around the steps of a replica write whose order matters after a crash, for tests that
 * kill the DataNode between them, and around each packet's work in the dataset, for the
 * benchmark's timing of hsync (as Hadoop's {@code DataNodeFaultInjector}, which has both
 * kinds). The installed instance does nothing unless a test replaces it in a DataNode of its
 * own.
 */
class PmemFaultInjector {
  private static volatile PmemFaultInjector instance = new PmemFaultInjector();

  static PmemFaultInjector get() {
    return instance;
  }

  static void set(PmemFaultInjector injector) {
    instance = injector;
  }

  /**
   * Called before a checksum already written is overwritten: the last partial chunk's by the
   * block receiver, or the new last partial chunk's by a truncate.
   */
  void beforeChecksumRewrite(Path metaFile) {
  }

  /** Called after a checksum was overwritten, before the new length is recorded. */
  void afterChecksumRewrite(Path metaFile) {
  }

  /** Called when the block receiver starts writing a packet's data into a replica. */
  void beforePacketData() {
  }

  /** Called when the data stream's flush returns: the packet's share of the dataset is done. */
  void afterPacketFlush() {
  }
}
