package io.marvel.hdfs.pmem.store;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.hdfs.server.datanode.BlockMetadataHeader;
import org.apache.hadoop.util.DataChecksum;

/**
 * Checks a replica's data against the checksums in its block file's meta area, as a reader
 * would, without a DataNode. Reads about 64 KiB of data (and its checksums) per step and lets a
 * {@link Pacer} hold it back between steps, so a background scan keeps to a bandwidth.
 *
 * <p>Thread safety: stateless; the caller makes sure the replica does not change meanwhile, or
 * discards the result if it did.
 */
public final class ReplicaVerifier {
  private static final int STEP_BYTES = 64 * 1024;

  /** Holds the verification back after each step; may block. */
  @FunctionalInterface
  public interface Pacer {
    /**
     * @param bytes data and meta bytes read in the last step
     * @throws InterruptedException if the verification should stop
     */
    void pace(long bytes) throws InterruptedException;
  }

  private ReplicaVerifier() {
  }

  /**
   * Verifies the first {@code dataLength} bytes of a replica.
   *
   * @param file the replica's block file
   * @param blockId the replica's block id, for the result
   * @param dataLength bytes of data the replica holds
   * @param pacer called after each step with the bytes read
   * @return the first mismatch, or empty if every chunk matches its checksum
   * @throws InterruptedException if the pacer stopped the verification
   * @throws IllegalStateException if the file was closed or recycled meanwhile
   */
  public static Optional<ChecksumMismatch> verify(BlockFile file, long blockId, long dataLength,
      Pacer pacer) throws InterruptedException {
    DataChecksum checksum;
    try {
      checksum = readChecksum(file);
    } catch (IOException e) {
      return Optional.of(new ChecksumMismatch(blockId, file.path(), 0,
          "unreadable meta header (" + e.getMessage() + ")"));
    }
    int chunk = checksum.getBytesPerChecksum();
    int sumSize = checksum.getChecksumSize();
    if (sumSize == 0) {
      return Optional.empty();
    }
    long needed = BlockFileLayout.metaLength(chunk, sumSize, dataLength);
    if (needed > file.layout().metaCapacity() || dataLength > file.layout().dataCapacity()) {
      return Optional.of(new ChecksumMismatch(blockId, file.path(), 0, "meta header says "
          + sumSize + "-byte checksums every " + chunk + " bytes, which do not fit the file"));
    }
    int chunksPerStep = Math.max(1, STEP_BYTES / chunk);
    byte[] data = new byte[chunksPerStep * chunk];
    byte[] sums = new byte[chunksPerStep * sumSize];
    for (long at = 0; at < dataLength; at += data.length) {
      int count = (int) Math.min(data.length, dataLength - at);
      int sumCount = (count + chunk - 1) / chunk * sumSize;
      file.readData(at, data, 0, count);
      file.readMeta(BlockFileLayout.META_HEADER_BYTES + at / chunk * sumSize, sums, 0,
          sumCount);
      try {
        checksum.verifyChunkedSums(ByteBuffer.wrap(data, 0, count),
            ByteBuffer.wrap(sums, 0, sumCount), file.path().toString(), at);
      } catch (ChecksumException e) {
        return Optional.of(new ChecksumMismatch(blockId, file.path(), e.getPos(),
            "data does not match its " + checksum.getChecksumType() + " checksum"));
      }
      pacer.pace(count + sumCount);
    }
    return Optional.empty();
  }

  /** Reads the meta header; a closed or recycled file fails as IllegalStateException. */
  private static DataChecksum readChecksum(BlockFile file) throws IOException {
    byte[] header = new byte[BlockFileLayout.META_HEADER_BYTES];
    file.readMeta(0, header, 0, header.length);
    return BlockMetadataHeader.readDataChecksum(
        new DataInputStream(new ByteArrayInputStream(header)), file.path());
  }
}
