package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.ShmTempDirFactory;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.hdfs.server.datanode.BlockMetadataHeader;
import org.apache.hadoop.util.DataChecksum;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verification of a replica's data against its checksums, on a real block file. */
class ReplicaVerifierTest {
  private static final BlockFileLayout LAYOUT = BlockFileLayout.forCapacity(256 * 1024, 512);
  private static final DataChecksum CRC =
      DataChecksum.newDataChecksum(DataChecksum.Type.CRC32C, 512);
  /** Several verification steps and a partial last chunk. */
  private static final int LENGTH = 200_000;
  private static final int SUMS = (LENGTH + 511) / 512 * 4;
  private static final ReplicaVerifier.Pacer NO_PACE = bytes -> { };

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;
  private BlockFile file;

  @BeforeEach
  void writeReplica() throws IOException {
    file = BlockFile.create(dir.resolve("blk_7"), LAYOUT);
    byte[] data = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      data[i] = (byte) (i * 31 + 5);
    }
    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    BlockMetadataHeader.writeHeader(new DataOutputStream(meta), CRC);
    byte[] sums = new byte[SUMS];
    CRC.calculateChunkedSums(data, 0, LENGTH, sums, 0);
    meta.write(sums);
    byte[] metaBytes = meta.toByteArray();
    file.writeData(0, data, 0, LENGTH);
    file.writeMeta(0, metaBytes, 0, metaBytes.length);
    file.commitLength(LENGTH);
    file.writeHeader(new BlockFileHeader(BlockFileState.FINALIZED, 7, 1001, LENGTH, LAYOUT));
  }

  @AfterEach
  void closeFile() throws IOException {
    file.close();
  }

  @Test
  void cleanReplicaPassesAndIsPacedByTheBytesRead() throws Exception {
    AtomicLong paced = new AtomicLong();
    assertEquals(Optional.empty(), ReplicaVerifier.verify(file, 7, LENGTH, paced::addAndGet));
    assertEquals(LENGTH + SUMS, paced.get());
  }

  @Test
  void findsAFlippedDataByteNamingBlockAndChunkOffset() throws Exception {
    flip(file.path(), 150_000);
    ChecksumMismatch found = ReplicaVerifier.verify(file, 7, LENGTH, NO_PACE).orElseThrow();
    assertEquals(new ChecksumMismatch(7, file.path(), 150_000 / 512 * 512,
        "data does not match its CRC32C checksum"), found);
    assertTrue(found.toString().contains("block 7 in " + file.path()), found.toString());
    assertTrue(found.toString().contains("at data offset 149504"), found.toString());
  }

  @Test
  void findsAFlippedChecksumByte() throws Exception {
    flip(file.metaPath(), BlockFileLayout.META_HEADER_BYTES + 100 * 4 + 1);
    ChecksumMismatch found = ReplicaVerifier.verify(file, 7, LENGTH, NO_PACE).orElseThrow();
    assertEquals(7, found.blockId());
    assertEquals(100 * 512, found.dataOffset());
  }

  @Test
  void findsAFlippedByteInTheLastPartialChunk() throws Exception {
    flip(file.path(), LENGTH - 1);
    assertEquals(LENGTH / 512 * 512,
        ReplicaVerifier.verify(file, 7, LENGTH, NO_PACE).orElseThrow().dataOffset());
  }

  @Test
  void reportsAnUnreadableMetaHeader() throws Exception {
    // Byte 2 is the checksum type: 0x7f is no type HDFS knows.
    try (RandomAccessFile raf = new RandomAccessFile(file.metaPath().toFile(), "rw")) {
      raf.seek(2);
      raf.write(0x7f);
    }
    ChecksumMismatch found = ReplicaVerifier.verify(file, 7, LENGTH, NO_PACE).orElseThrow();
    assertEquals(0, found.dataOffset());
    assertTrue(found.problem().startsWith("unreadable meta header"), found.problem());
  }

  @Test
  void pacerStopsTheVerification() {
    assertThrows(InterruptedException.class, () -> ReplicaVerifier.verify(file, 7, LENGTH,
        bytes -> {
          throw new InterruptedException("stop");
        }));
  }

  @Test
  void failsOnARecycledFile() throws IOException {
    BlockFile next = file.handOver();
    try {
      assertThrows(IllegalStateException.class,
          () -> ReplicaVerifier.verify(file, 7, LENGTH, NO_PACE));
    } finally {
      file = next;
    }
  }

  /** Flips every bit of one byte of the data or meta file, behind the mapping's back. */
  private static void flip(Path path, long at) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
      raf.seek(at);
      int b = raf.read();
      raf.seek(at);
      raf.write(b ^ 0xff);
    }
  }
}
