package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.PmemException;
import io.marvel.pmem.ShmTempDirFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockFileTest {
  static final BlockFileLayout LAYOUT = BlockFileLayout.forCapacity(64 * 1024, 512);

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void createdPairIsFreeAndSizedByItsLayout() throws IOException {
    Path path = dir.resolve("blk");
    try (BlockFile file = BlockFile.create(path, LAYOUT)) {
      assertEquals(BlockFileHeader.free(LAYOUT), file.header());
      assertEquals(dir.resolve("blk.meta"), file.metaPath());
    }
    assertEquals(LAYOUT.dataFileLength(), Files.size(path));
    assertEquals(LAYOUT.metaFileLength(), Files.size(dir.resolve("blk.meta")));
    try (BlockFile file = BlockFile.open(path)) {
      assertEquals(BlockFileState.FREE, file.header().state());
    }
  }

  @Test
  void writesFaultTheirPagesInAheadOfTheCopyAndTrackHowFar() throws IOException {
    BlockFileLayout layout = BlockFileLayout.forCapacity(1 << 20, 512);
    try (BlockFile file = BlockFile.create(dir.resolve("blk"), layout)) {
      assertEquals(0, file.dataFaultedIn(), "a new file's pages are not faulted in");
      byte[] first = pattern(10_000, 1);
      file.writeData(0, first, 0, first.length);
      assertEquals(3 * 4096, file.dataFaultedIn(), "to the end of the write's last page");
      byte[] further = pattern(5000, 2);
      file.writeData(500_000, further, 0, further.length);
      assertEquals(3 * 4096, file.dataFaultedIn(), "the gap before a write further on is unknown");
      byte[] next = pattern(8000, 3);
      file.writeData(10_000, next, 0, next.length);
      assertEquals(5 * 4096, file.dataFaultedIn());
      assertArrayEquals(first, read(file, 0, first.length));
      assertArrayEquals(next, read(file, 10_000, next.length));
      assertArrayEquals(further, read(file, 500_000, further.length));

      file.writeHeader(new BlockFileHeader(BlockFileState.FINALIZED, 1, 1, 15_000, layout));
      file.trimData(15_000);
      assertEquals(3 * 4096, file.dataFaultedIn(), "pages past the trimmed length are gone");
      file.growData();
      file.prepare();
      assertEquals(layout.dataFileLength(), file.dataFaultedIn(), "a prepared file's are all in");
      assertArrayEquals(first, read(file, 0, first.length));
      try (BlockFile handedOver = file.handOver()) {
        assertEquals(layout.dataFileLength(), handedOver.dataFaultedIn(),
            "handed over with the pages");
      }
    }
  }

  private static byte[] pattern(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + seed);
    }
    return bytes;
  }

  private static byte[] read(BlockFile file, long position, int length) {
    byte[] bytes = new byte[length];
    file.readData(position, bytes, 0, length);
    return bytes;
  }

  @Test
  void committedLengthAndDataSurviveReopening() throws IOException {
    Path path = dir.resolve("blk");
    byte[] data = new byte[5000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 7);
    }
    try (BlockFile file = BlockFile.create(path, LAYOUT)) {
      file.writeHeader(new BlockFileHeader(BlockFileState.RBW, 42, 1001, 0, LAYOUT));
      file.writeData(0, data, 0, data.length);
      file.writeMeta(0, new byte[] {9, 8, 7}, 0, 3);
      file.commitLength(data.length);
    }
    try (BlockFile file = BlockFile.open(path)) {
      assertEquals(new BlockFileHeader(BlockFileState.RBW, 42, 1001, 5000, LAYOUT),
          file.header());
      byte[] read = new byte[data.length];
      file.readData(0, read, 0, read.length);
      assertArrayEquals(data, read);
      ByteBuffer direct = ByteBuffer.allocateDirect(10);
      file.readData(100, direct);
      assertEquals(data[100], direct.get(0));
      byte[] meta = new byte[3];
      file.readMeta(0, meta, 0, 3);
      assertArrayEquals(new byte[] {9, 8, 7}, meta);
    }
  }

  @Test
  void filesHoldTheStockFormatsFromOffsetZero() throws IOException {
    Path path = dir.resolve("blk");
    try (BlockFile file = BlockFile.create(path, LAYOUT)) {
      file.writeData(0, new byte[] {1, 2, 3}, 0, 3);
      file.writeMeta(0, new byte[] {0, 1, 2, 0, 0, 2, 0}, 0, 7);
      file.commitLength(3);
    }
    byte[] data = Files.readAllBytes(path);
    assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(data, 3));
    byte[] meta = Files.readAllBytes(dir.resolve("blk.meta"));
    assertArrayEquals(new byte[] {0, 1, 2, 0, 0, 2, 0}, Arrays.copyOf(meta, 7));
  }

  @Test
  void tornNewestHeaderFallsBackToThePreviousOne() throws IOException {
    Path path = dir.resolve("blk");
    try (BlockFile file = BlockFile.create(path, LAYOUT)) {
      file.writeHeader(new BlockFileHeader(BlockFileState.RBW, 42, 1001, 0, LAYOUT));
      file.writeHeader(new BlockFileHeader(BlockFileState.FINALIZED, 42, 1001, 10, LAYOUT));
    }
    // Three header writes so far (FREE, RBW, FINALIZED): the newest sits in slot 3 % 2 = 1.
    corrupt(BlockFile.metaPath(path), LAYOUT.headerOffset() + HeaderCodec.SLOT_BYTES + 20);
    try (BlockFile file = BlockFile.open(path)) {
      assertEquals(new BlockFileHeader(BlockFileState.RBW, 42, 1001, 0, LAYOUT), file.header());
    }
  }

  @Test
  void fileWithoutValidHeaderIsReportedCorrupt() throws IOException {
    Path path = dir.resolve("blk");
    BlockFile.create(path, LAYOUT).close();
    corruptHeader(path);
    CorruptBlockFileException e = assertThrows(CorruptBlockFileException.class,
        () -> BlockFile.open(path));
    assertTrue(e.getMessage().contains(path + ".meta is unreadable: no valid header slot"),
        e.getMessage());
  }

  @Test
  void finalizedFileLeftFullByACrashIsTrimmedOnOpen() throws IOException {
    Path path = dir.resolve("blk");
    try (BlockFile file = BlockFile.create(path, LAYOUT)) {
      file.writeHeader(new BlockFileHeader(BlockFileState.FINALIZED, 42, 1001, 1000, LAYOUT));
    }
    try (BlockFile file = BlockFile.open(path)) {
      assertEquals(1000, Files.size(path));
      assertThrows(IndexOutOfBoundsException.class, () -> file.readData(999, new byte[2], 0, 2));
    }
  }

  @Test
  void emptyFinalizedReplicaOpensWithoutADataMapping() throws IOException {
    Path path = dir.resolve("blk");
    try (BlockFile file = BlockFile.create(path, LAYOUT)) {
      file.writeHeader(new BlockFileHeader(BlockFileState.FINALIZED, 42, 1001, 0, LAYOUT));
      file.trimData(0);
    }
    try (BlockFile file = BlockFile.open(path)) {
      assertEquals(0, Files.size(path));
      file.readData(0, new byte[0], 0, 0);
      file.growData();
      file.writeData(100, new byte[] {1}, 0, 1);
      assertEquals(LAYOUT.dataFileLength(), Files.size(path));
    }
  }

  @Test
  void pagesLentToASocketStayLentWhenAnAppendMapsTheDataFileAnew() throws IOException {
    Path path = dir.resolve("blk");
    try (BlockFile file = BlockFile.create(path, LAYOUT)) {
      file.writeData(0, new byte[1000], 0, 1000);
      file.writeHeader(new BlockFileHeader(BlockFileState.FINALIZED, 42, 1001, 1000, LAYOUT));
      file.trimData(1000);
    }
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try (SocketChannel sender = SocketChannel.open(server.getLocalAddress());
          SocketChannel receiver = server.accept();
          BlockFile file = BlockFile.open(path)) {
        sender.configureBlocking(false);
        assertEquals(1000, file.transferData(0, 1000, sender));
        assertTrue(file.hasLentPages());
        file.growData(); // an append: the trimmed mapping is replaced by a full one
        assertTrue(file.hasFullDataFile());
        assertTrue(file.hasLentPages(), "a socket may still hold the file's pages");
      }
    }
  }

  @Test
  void trimmedFileOfAReplicaBeingWrittenIsReportedCorrupt() throws IOException {
    Path path = dir.resolve("blk");
    try (BlockFile file = BlockFile.create(path, LAYOUT)) {
      file.writeHeader(new BlockFileHeader(BlockFileState.RBW, 42, 1001, 10, LAYOUT));
      file.trimData(10);
    }
    CorruptBlockFileException e = assertThrows(CorruptBlockFileException.class,
        () -> BlockFile.open(path));
    assertEquals("PMEM block file " + path + " is unreadable: header describes "
        + LAYOUT.dataFileLength() + " bytes but the file has 10", e.getMessage());
  }

  @Test
  void missingMetaFileIsReportedByName() throws IOException {
    Path path = dir.resolve("blk");
    BlockFile.create(path, LAYOUT).close();
    Files.delete(dir.resolve("blk.meta"));
    CorruptBlockFileException e = assertThrows(CorruptBlockFileException.class,
        () -> BlockFile.open(path));
    assertEquals("PMEM block file " + path + " is unreadable: its meta file " + path
        + ".meta is missing", e.getMessage());
  }

  @Test
  void missingDataFileIsReportedByName() throws IOException {
    Path path = dir.resolve("blk");
    BlockFile.create(path, LAYOUT).close();
    Files.delete(path);
    CorruptBlockFileException e = assertThrows(CorruptBlockFileException.class,
        () -> BlockFile.open(path));
    assertEquals("PMEM block file " + path + " is unreadable: the data file is missing",
        e.getMessage());
  }

  @Test
  void singleFileLayoutOfEarlierVersionsIsRefusedByName() throws IOException {
    Path path = writeSingleFileLayout(dir.resolve("blk_3"));
    CorruptBlockFileException e = assertThrows(CorruptBlockFileException.class,
        () -> BlockFile.open(path));
    assertTrue(e.getMessage().startsWith("PMEM block file " + path + " is unreadable: it has "
        + "the single-file layout of an earlier version"), e.getMessage());
  }

  @Test
  void dataFileOfTheWrongSizeIsReportedCorrupt() throws IOException {
    Path path = dir.resolve("blk");
    BlockFile.create(path, LAYOUT).close();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate(1), LAYOUT.dataFileLength() + 4095);
    }
    CorruptBlockFileException e = assertThrows(CorruptBlockFileException.class,
        () -> BlockFile.open(path));
    assertEquals("PMEM block file " + path + " is unreadable: header describes "
        + LAYOUT.dataFileLength() + " bytes but the file has " + (LAYOUT.dataFileLength() + 4096),
        e.getMessage());
  }

  @Test
  void aFreeFileRecycledTrimmedOpensShortAndGrowsBack() throws IOException {
    Path path = dir.resolve("free-1");
    try (BlockFile file = BlockFile.create(path, LAYOUT)) {
      file.trimData(4096);
    }
    try (BlockFile file = BlockFile.open(path)) {
      assertEquals(BlockFileState.FREE, file.header().state());
      assertEquals(4096, Files.size(path));
      file.growData();
      assertTrue(file.hasFullDataFile());
    }
  }

  @Test
  void growingBackAllocatesWithoutWritingZerosThroughTheFileSystem() throws IOException {
    BlockFileLayout large = BlockFileLayout.forCapacity(16L << 20, 512);
    Path path = dir.resolve("blk");
    try (BlockFile file = BlockFile.create(path, large)) {
      file.writeData(0, new byte[] {7}, 0, 1);
      file.commitLength(1);
      file.writeHeader(new BlockFileHeader(BlockFileState.FINALIZED, 42, 1001, 1, large));
      file.trimData(1);
      long before = bytesWrittenByThisThread();
      file.growData();
      long written = bytesWrittenByThisThread() - before;
      assertTrue(written < 4096, "growing back wrote " + written + " bytes through the file "
          + "system, for " + large.dataFileLength() + " allocated");
      assertEquals(large.dataFileLength(), Files.size(path));
      byte[] tail = new byte[4096];
      file.readData(large.dataFileLength() - tail.length, tail, 0, tail.length);
      assertArrayEquals(new byte[tail.length], tail, "the regrown part reads as zeros");
      byte[] first = new byte[1];
      file.readData(0, first, 0, 1);
      assertArrayEquals(new byte[] {7}, first, "the replica's bytes stay");
    }
  }

  /** @return bytes this thread passed to write system calls so far (Linux's wchar) */
  private static long bytesWrittenByThisThread() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/thread-self/io"))) {
      if (line.startsWith("wchar:")) {
        return Long.parseLong(line.substring("wchar:".length()).trim());
      }
    }
    throw new IOException("/proc/thread-self/io has no wchar line");
  }

  @Test
  void writesOutsideTheAreasAreRejected() throws IOException {
    try (BlockFile file = BlockFile.create(dir.resolve("blk"), LAYOUT)) {
      IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
          () -> file.writeData(LAYOUT.dataCapacity() - 1, new byte[2], 0, 2));
      assertTrue(e.getMessage().contains("outside the 65536-byte data area"), e.getMessage());
      assertThrows(IndexOutOfBoundsException.class,
          () -> file.writeMeta(LAYOUT.metaCapacity(), new byte[1], 0, 1));
    }
  }

  @Test
  void moveKeepsTheMappingUsable() throws IOException {
    Path target = dir.resolve("moved");
    try (BlockFile file = BlockFile.create(dir.resolve("blk"), LAYOUT)) {
      file.moveTo(target);
      file.writeHeader(file.header().withLength(1));
      assertEquals(target, file.path());
    }
    assertTrue(Files.exists(dir.resolve("moved.meta")));
    assertTrue(Files.notExists(dir.resolve("blk")) && Files.notExists(dir.resolve("blk.meta")));
    try (BlockFile file = BlockFile.open(target)) {
      assertEquals(1, file.header().dataLength());
    }
  }

  @Test
  void handOverKeepsTheMappingAndFailsTheOldOwner() throws IOException {
    BlockFile old = BlockFile.create(dir.resolve("blk"), LAYOUT);
    old.writeData(0, new byte[] {42}, 0, 1);
    BlockFile reused = old.handOver();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> old.readData(0, new byte[1], 0, 1));
    assertTrue(e.getMessage().contains("was recycled for another replica"), e.getMessage());
    assertThrows(IllegalStateException.class, old::delete);
    old.close();
    byte[] read = new byte[1];
    reused.readData(0, read, 0, 1);
    assertEquals(42, read[0]);
    reused.writeHeader(reused.header().withLength(1));
    reused.close();
    try (BlockFile reopened = BlockFile.open(dir.resolve("blk"))) {
      assertEquals(1, reopened.header().dataLength());
    }
  }

  @Test
  void headerWritesAfterCloseFailWithAnIoException() throws IOException {
    BlockFile file = BlockFile.create(dir.resolve("blk"), LAYOUT);
    file.close();
    PmemException e = assertThrows(PmemException.class,
        () -> file.writeHeader(file.header().withLength(1)));
    assertTrue(e.getMessage().contains("is closed: its replica was deleted or its volume left"),
        e.getMessage());
    assertThrows(PmemException.class, () -> file.commitLength(1));
  }

  /** Flips a byte of both header slots of the pair named by its data file. */
  static void corruptHeader(Path path) throws IOException {
    Path meta = BlockFile.metaPath(path);
    corrupt(meta, LAYOUT.headerOffset() + 3);
    corrupt(meta, LAYOUT.headerOffset() + HeaderCodec.SLOT_BYTES + 3);
  }

  /** Writes a file as the single-file layout (header version 1 at offset 0) left it. */
  static Path writeSingleFileLayout(Path path) throws IOException {
    ByteBuffer slot = ByteBuffer.wrap(HeaderCodec.encode(new BlockFileHeader(
        BlockFileState.FINALIZED, 3, 1003, 10, LAYOUT), 1)).order(ByteOrder.LITTLE_ENDIAN);
    slot.putShort(4, HeaderCodec.SINGLE_FILE_VERSION);
    CRC32C crc = new CRC32C();
    crc.update(slot.array(), 0, 60);
    slot.putInt(60, (int) crc.getValue());
    byte[] file = new byte[3 * 4096];
    System.arraycopy(slot.array(), 0, file, 0, HeaderCodec.SLOT_BYTES);
    return Files.write(path, file);
  }

  static void corrupt(Path path, long offset) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, offset);
      one.put(0, (byte) (one.get(0) ^ 0xff));
      one.rewind();
      channel.write(one, offset);
    }
  }
}
