package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.PmemException;
import io.marvel.pmem.ShmTempDirFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockFileTest {
  static final BlockFileLayout LAYOUT = BlockFileLayout.forCapacity(64 * 1024, 512);

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void createdFileIsFreeAndSizedByItsLayout() throws IOException {
    Path path = dir.resolve("blk");
    try (BlockFile file = BlockFile.create(path, LAYOUT)) {
      assertEquals(BlockFileHeader.free(LAYOUT), file.header());
    }
    assertEquals(LAYOUT.fileLength(), Files.size(path));
    try (BlockFile file = BlockFile.open(path)) {
      assertEquals(BlockFileState.FREE, file.header().state());
    }
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
  void tornNewestHeaderFallsBackToThePreviousOne() throws IOException {
    Path path = dir.resolve("blk");
    try (BlockFile file = BlockFile.create(path, LAYOUT)) {
      file.writeHeader(new BlockFileHeader(BlockFileState.RBW, 42, 1001, 0, LAYOUT));
      file.writeHeader(new BlockFileHeader(BlockFileState.FINALIZED, 42, 1001, 10, LAYOUT));
    }
    // Three header writes so far (FREE, RBW, FINALIZED): the newest sits in slot 3 % 2 = 1.
    corrupt(path, HeaderCodec.SLOT_BYTES + 20);
    try (BlockFile file = BlockFile.open(path)) {
      assertEquals(new BlockFileHeader(BlockFileState.RBW, 42, 1001, 0, LAYOUT), file.header());
    }
  }

  @Test
  void fileWithoutValidHeaderIsReportedCorrupt() throws IOException {
    Path path = dir.resolve("blk");
    BlockFile.create(path, LAYOUT).close();
    corrupt(path, 3);
    corrupt(path, HeaderCodec.SLOT_BYTES + 3);
    CorruptBlockFileException e = assertThrows(CorruptBlockFileException.class,
        () -> BlockFile.open(path));
    assertTrue(e.getMessage().contains(path + " is unreadable: no valid header slot"),
        e.getMessage());
  }

  @Test
  void fileOfTheWrongSizeIsReportedCorrupt() throws IOException {
    Path path = dir.resolve("blk");
    BlockFile.create(path, LAYOUT).close();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      channel.truncate(LAYOUT.fileLength() - 4096);
    }
    CorruptBlockFileException e = assertThrows(CorruptBlockFileException.class,
        () -> BlockFile.open(path));
    assertTrue(e.getMessage().contains("but the file has " + (LAYOUT.fileLength() - 4096)),
        e.getMessage());
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
