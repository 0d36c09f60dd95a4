package io.marvel.hdfs.pmem.store;

import java.nio.file.Path;

/**
 * What {@link ReplicaVerifier} found wrong with a replica: its data and its checksums disagree
 * from {@code dataOffset} on, or its meta header cannot be read ({@code dataOffset} 0).
 *
 * @param blockId the block id
 * @param file the PMEM block file
 * @param dataOffset offset in the replica's data of the first chunk that fails, in bytes
 * @param problem what is wrong
 */
public record ChecksumMismatch(long blockId, Path file, long dataOffset, String problem) {
  @Override
  public String toString() {
    return "block " + blockId + " in " + file + ": " + problem + " at data offset " + dataOffset;
  }
}
