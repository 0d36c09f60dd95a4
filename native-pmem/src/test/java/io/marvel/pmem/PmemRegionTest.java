package io.marvel.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PmemRegionTest {
  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void libraryIsAvailable() throws Exception {
    Pmem.ensureAvailable();
    assertTrue(Pmem.isAvailable());
  }

  @Test
  void createMapsAZeroedFileOfTheRequestedLength() throws Exception {
    Path file = dir.resolve("a");
    try (PmemRegion region = PmemRegion.create(file, 1 << 20)) {
      assertEquals(1 << 20, region.length());
      assertEquals(1 << 20, Files.size(file));
      assertTrue(region.isPmem(), "PMEM_IS_PMEM_FORCE=1 is set for tests");
      byte[] back = new byte[4096];
      region.read(region.length() - 4096, back, 0, back.length);
      assertArrayEquals(new byte[4096], back);
    }
  }

  @Test
  void populateFaultsThePagesInAndLeavesTheBytes() throws Exception {
    int pages = 4096;
    byte[] first = random(4096, 5);
    try (PmemRegion region = PmemRegion.create(dir.resolve("populated"), pages * 4096L)) {
      region.write(0, first, 0, first.length);
      assertTrue(region.populate(0, region.length()), "kernel 5.14 or later");
      long faultsBefore = minorFaultsOfThisThread();
      byte[] one = new byte[1];
      for (long at = 4096; at < region.length(); at += 4096) {
        region.write(at, one, 0, 1);
      }
      long faults = minorFaultsOfThisThread() - faultsBefore;
      assertTrue(faults < pages / 10, faults + " page faults writing " + pages + " pages");
      byte[] back = new byte[first.length];
      region.read(0, back, 0, back.length);
      assertArrayEquals(first, back);
      assertThrows(IllegalArgumentException.class, () -> region.populate(100, 4096));
    }
  }

  /** minflt of /proc/thread-self/stat: page faults served without I/O. */
  private static long minorFaultsOfThisThread() throws Exception {
    String stat = Files.readString(Path.of("/proc/thread-self/stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
  }

  @Test
  void aDiskFilePersistsWithMsyncEvenWhenPmemIsForced(@TempDir Path diskDir) throws Exception {
    // java.io.tmpdir is target/tmp (pom), a disk file system; PMEM_IS_PMEM_FORCE=1 is set.
    assumeFalse("tmpfs".equals(Files.getFileStore(diskDir).type()),
        "the build directory is on tmpfs: no disk file system to map here");
    byte[] data = random(4096, 3);
    Path file = diskDir.resolve("on-disk");
    try (PmemRegion region = PmemRegion.create(file, 64 * 1024)) {
      assertFalse(region.isPmem(), "cache flushes do not make a page-cache file durable");
      region.writeDurable(0, data, 0, data.length);
    }
    try (PmemRegion region = PmemRegion.open(file)) {
      byte[] back = new byte[data.length];
      region.read(0, back, 0, back.length);
      assertArrayEquals(data, back);
    }
  }

  @Test
  void durableWritesSurviveCloseAndReopen() throws Exception {
    Path file = dir.resolve("b");
    byte[] data = random(10_000, 1);
    try (PmemRegion region = PmemRegion.create(file, 64 * 1024)) {
      region.writeDurable(100, data, 0, data.length);
      region.write(20_000, data, 5, 10);
      region.persist(20_000, 10);
      region.writeFlushed(30_000, data, 0, 100);
      region.drain();
    }
    try (PmemRegion region = PmemRegion.open(file)) {
      assertEquals(64 * 1024, region.length());
      byte[] back = new byte[data.length];
      region.read(100, back, 0, back.length);
      assertArrayEquals(data, back);
      byte[] small = new byte[10];
      region.read(20_000, small, 0, 10);
      assertArrayEquals(java.util.Arrays.copyOfRange(data, 5, 15), small);
    }
  }

  @Test
  void copiesFromAndToEveryKindOfBuffer() throws Exception {
    byte[] data = random(3000, 2);
    try (PmemRegion region = PmemRegion.create(dir.resolve("c"), 16 * 1024)) {
      ByteBuffer heap = ByteBuffer.wrap(data);
      region.write(0, heap);
      assertEquals(data.length, heap.position());
      ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
      region.writeDurable(4000, direct);
      assertFalse(direct.hasRemaining());
      ByteBuffer readOnly = ByteBuffer.wrap(data).asReadOnlyBuffer();
      region.writeFlushed(8000, readOnly);
      region.drain();

      for (long offset : new long[] {0, 4000, 8000}) {
        ByteBuffer intoDirect = ByteBuffer.allocateDirect(data.length);
        region.read(offset, intoDirect);
        assertEquals(data.length, intoDirect.position());
        byte[] got = new byte[data.length];
        intoDirect.flip().get(got);
        assertArrayEquals(data, got, "at " + offset);
        ByteBuffer intoHeap = ByteBuffer.allocate(data.length + 10).position(10);
        region.read(offset, intoHeap);
        assertArrayEquals(data, java.util.Arrays.copyOfRange(intoHeap.array(), 10,
            10 + data.length));
      }
    }
  }

  @Test
  void viewsReadInPlace() throws Exception {
    byte[] text = "persistent memory".getBytes(StandardCharsets.US_ASCII);
    try (PmemRegion region = PmemRegion.create(dir.resolve("d"), 4096)) {
      region.writeDurable(1000, text, 0, text.length);
      String seen = region.withView(1000, text.length, view -> {
        assertTrue(view.isReadOnly());
        assertTrue(view.isDirect());
        assertEquals(text.length, view.remaining());
        return StandardCharsets.US_ASCII.decode(view).toString();
      });
      assertEquals("persistent memory", seen);
    }
  }

  @Test
  void fillSetsBytes() throws Exception {
    try (PmemRegion region = PmemRegion.create(dir.resolve("f"), 4096)) {
      region.fill(10, 20, (byte) 7, true);
      byte[] back = new byte[22];
      region.read(9, back, 0, back.length);
      assertEquals(0, back[0]);
      assertEquals(7, back[1]);
      assertEquals(7, back[20]);
      assertEquals(0, back[21]);
    }
  }

  @Test
  void regionsLargerThanTwoGibibytesUseLongOffsets() throws Exception {
    long length = (2L << 30) + (64 << 20);
    byte[] data = random(8192, 3);
    try (PmemRegion region = PmemRegion.create(dir.resolve("big"), length)) {
      assertEquals(length, region.length());
      long nearEnd = length - data.length;
      region.writeDurable(nearEnd, data, 0, data.length);
      // Straddles the 1 GiB view window boundary and the 2 GiB int boundary.
      long straddle = (2L << 30) - 100;
      region.writeDurable(straddle, data, 0, 200);
      byte[] back = new byte[data.length];
      region.read(nearEnd, back, 0, back.length);
      assertArrayEquals(data, back);
      byte[] viewed = region.withView(straddle, 200, view -> {
        byte[] b = new byte[200];
        view.get(b);
        return b;
      });
      assertArrayEquals(java.util.Arrays.copyOf(data, 200), viewed);
    }
  }

  @Test
  void rejectsOutOfBoundsAndNegativeArguments() throws Exception {
    try (PmemRegion region = PmemRegion.create(dir.resolve("g"), 4096)) {
      byte[] b = new byte[100];
      assertThrows(IndexOutOfBoundsException.class, () -> region.write(-1, b, 0, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> region.write(4000, b, 0, 100));
      assertThrows(IndexOutOfBoundsException.class, () -> region.write(0, b, 0, -1));
      assertThrows(IndexOutOfBoundsException.class, () -> region.write(0, b, 50, 51));
      assertThrows(IndexOutOfBoundsException.class, () -> region.read(0, b, -1, 10));
      assertThrows(IndexOutOfBoundsException.class,
          () -> region.persist(Long.MAX_VALUE - 1, 10), "offset + length must not wrap");
      assertThrows(IndexOutOfBoundsException.class, () -> region.persist(10, Long.MAX_VALUE));
      assertThrows(IndexOutOfBoundsException.class,
          () -> region.withView(4090, 10, view -> null));
      assertThrows(IndexOutOfBoundsException.class,
          () -> region.read(4000, ByteBuffer.allocateDirect(200)));
      assertThrows(ReadOnlyBufferException.class,
          () -> region.read(0, ByteBuffer.allocate(10).asReadOnlyBuffer()));
      assertThrows(NullPointerException.class, () -> region.write(0, (byte[]) null, 0, 1));
    }
  }

  @Test
  void useAfterCloseThrowsAndCloseIsIdempotent() throws Exception {
    PmemRegion region = PmemRegion.create(dir.resolve("h"), 4096);
    region.close();
    region.close();
    assertTrue(region.isClosed());
    byte[] b = new byte[10];
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> region.read(0, b, 0, 10));
    assertTrue(e.getMessage().contains("is closed") && e.getMessage().contains("h"),
        e.getMessage());
    assertThrows(IllegalStateException.class, () -> region.writeDurable(0, b, 0, 10));
    assertThrows(IllegalStateException.class, () -> region.persist(0, 10));
    assertThrows(IllegalStateException.class, region::drain);
    assertThrows(IllegalStateException.class, () -> region.withView(0, 10, v -> null));
  }

  @Test
  void aViewThatEscapesItsCallbackReadsZerosAfterCloseInsteadOfCrashing() throws Exception {
    byte[] data = random(4096, 4);
    PmemRegion region = PmemRegion.create(dir.resolve("i"), 8192);
    region.writeDurable(0, data, 0, data.length);
    ByteBuffer escaped = region.withView(0, 4096, view -> view);
    assertEquals(data[5], escaped.get(5));
    region.close();
    byte[] after = new byte[4096];
    escaped.get(0, after);
    assertArrayEquals(new byte[4096], after);
    byte[] onDisk = Files.readAllBytes(dir.resolve("i"));
    assertArrayEquals(data, java.util.Arrays.copyOf(onDisk, 4096), "the file keeps its data");
  }

  @Test
  void aViewOfAClosedRegionIsHarmlessAsASource() throws Exception {
    PmemRegion other = PmemRegion.create(dir.resolve("other"), 4096);
    ByteBuffer foreign = other.withView(0, 100, view -> view);
    other.close();
    try (PmemRegion region = PmemRegion.create(dir.resolve("target"), 4096)) {
      region.fill(0, 100, (byte) 9, true);
      region.writeDurable(0, foreign);
      byte[] back = new byte[100];
      region.read(0, back, 0, 100);
      assertArrayEquals(new byte[100], back);
    }
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
