package io.marvel.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionInputStreamTest {
  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void readsOnlyItsWindowRelativeToItsBase() throws Exception {
    byte[] data = new byte[4096];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    try (PmemRegion region = PmemRegion.create(dir.resolve("r"), data.length)) {
      region.writeDurable(0, data, 0, data.length);
      RegionInputStream in = new RegionInputStream(region, 100, 50);
      assertEquals(100 & 0xff, in.read());
      assertEquals(49, in.available());
      byte[] rest = new byte[100];
      assertEquals(49, in.read(rest, 0, rest.length));
      assertArrayEquals(Arrays.copyOfRange(data, 101, 150), Arrays.copyOf(rest, 49));
      assertEquals(-1, in.read());
      in.seek(10);
      assertEquals(10, in.getPos());
      assertEquals(110 & 0xff, in.read());
      byte[] two = new byte[2];
      in.readFully(48, two);
      assertArrayEquals(Arrays.copyOfRange(data, 148, 150), two);
      assertThrows(EOFException.class, () -> in.readFully(49, two));
      assertThrows(EOFException.class, () -> in.seek(51));
      assertEquals(39, in.skip(1000));
      assertThrows(IllegalArgumentException.class,
          () -> new RegionInputStream(region, 4000, 100));
    }
  }

  @Test
  void aRegionClosedDuringReadsFailsAsIo() throws Exception {
    PmemRegion region = PmemRegion.create(dir.resolve("c"), 4096);
    RegionInputStream in = new RegionInputStream(region, 0, 4096);
    region.close();
    IOException e = assertThrows(IOException.class, in::read);
    assertEquals(region.path() + " was closed during a read", e.getMessage());
  }
}
