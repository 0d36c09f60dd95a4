package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.hdfs.pmem.store.BlockFile;
import io.marvel.hdfs.pmem.store.BlockFileHeader;
import io.marvel.hdfs.pmem.store.BlockFileLayout;
import io.marvel.hdfs.pmem.store.BlockFileState;
import io.marvel.hdfs.pmem.store.PmemReplica;
import io.marvel.hdfs.pmem.store.PmemReplicaMap;
import io.marvel.pmem.ShmTempDirFactory;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.BlockMetadataHeader;
import org.apache.hadoop.util.DataChecksum;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan thread's choices, on real block files, with the reports collected in a list. */
class PmemScannerTest {
  private static final String POOL = "BP-1";
  private static final String THREAD = "PMEM replica scanner";
  private static final int LENGTH = 100_000;
  private static final BlockFileLayout LAYOUT = BlockFileLayout.forCapacity(128 * 1024, 512);
  private static final DataChecksum CRC =
      DataChecksum.newDataChecksum(DataChecksum.Type.CRC32C, 512);

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;
  private final PmemReplicaMap replicas = new PmemReplicaMap();
  private final List<ExtendedBlock> reported = new CopyOnWriteArrayList<>();
  private final List<BlockFile> files = new ArrayList<>();

  @AfterEach
  void closeFiles() throws IOException {
    for (BlockFile file : files) {
      file.close();
    }
  }

  @Test
  void reportsCorruptFinalizedReplicasOnly() throws Exception {
    replicas.put(POOL, replica(1, ReplicaState.FINALIZED, false));
    replicas.put(POOL, replica(2, ReplicaState.FINALIZED, true));
    replicas.put(POOL, replica(3, ReplicaState.RBW, true));
    try (PmemScanner scanner = scanner(new ScannerSettings(1L << 30, 60_000))) {
      scanner.start();
      waitFor(() -> !reported.isEmpty());
    }
    assertEquals(List.of(new ExtendedBlock(POOL, 2, LENGTH, 1001)), reported);
    assertFalse(scannerThreadAlive(), "scanner thread still running after close");
  }

  @Test
  void closeStopsAThrottledScan() throws Exception {
    replicas.put(POOL, replica(1, ReplicaState.FINALIZED, false));
    PmemScanner scanner = scanner(new ScannerSettings(1024, 60_000));
    scanner.start();
    waitFor(PmemScannerTest::scannerThreadAlive);
    long start = System.nanoTime();
    scanner.close();
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "close took more than 5 s");
    assertFalse(scannerThreadAlive(), "scanner thread still running after close");
    assertEquals(List.of(), reported);
  }

  @Test
  void disabledScannerStartsNoThread() throws Exception {
    replicas.put(POOL, replica(1, ReplicaState.FINALIZED, true));
    try (PmemScanner scanner = scanner(new ScannerSettings(0, 60_000))) {
      scanner.start();
      assertFalse(scannerThreadAlive(), "a disabled scanner started a thread");
    }
    assertEquals(List.of(), reported);
  }

  private PmemScanner scanner(ScannerSettings settings) {
    return new PmemScanner(settings, replicas, (block, volume) -> reported.add(block));
  }

  /** A replica of {@code LENGTH} bytes with CRC32C checksums, the first data byte flipped. */
  private PmemReplica replica(long blockId, ReplicaState state, boolean corrupt)
      throws IOException {
    BlockFile file = BlockFile.create(dir.resolve("blk_" + blockId), LAYOUT);
    files.add(file);
    byte[] data = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      data[i] = (byte) (i * 7 + blockId);
    }
    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    BlockMetadataHeader.writeHeader(new DataOutputStream(meta), CRC);
    byte[] sums = new byte[(LENGTH + 511) / 512 * 4];
    CRC.calculateChunkedSums(data, 0, LENGTH, sums, 0);
    meta.write(sums);
    byte[] metaBytes = meta.toByteArray();
    if (corrupt) {
      data[0] ^= 1;
    }
    file.writeData(0, data, 0, LENGTH);
    file.writeMeta(0, metaBytes, 0, metaBytes.length);
    file.commitLength(LENGTH);
    BlockFileState fileState = state == ReplicaState.FINALIZED ? BlockFileState.FINALIZED
        : BlockFileState.RBW;
    file.writeHeader(new BlockFileHeader(fileState, blockId, 1001, LENGTH, LAYOUT));
    return new PmemReplica(blockId, 1001, state, LENGTH, null, file);
  }

  private static boolean scannerThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(THREAD) && t.isAlive());
  }

  private static void waitFor(BooleanSupplier condition)
      throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }
}
