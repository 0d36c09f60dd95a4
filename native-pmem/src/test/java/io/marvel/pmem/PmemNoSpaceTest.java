package io.marvel.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full device, for real: a 4 MiB tmpfs mounted for the test (needs root, as CI has). */
@Tag("integration")
class PmemNoSpaceTest {
  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;
  private boolean mounted;

  @BeforeEach
  void mountSmallTmpfs() throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      // Surefire lists a skipped test without its reason; say it where the build log shows it.
      System.err.println("SKIPPED " + getClass().getSimpleName() + ": mounting a small tmpfs "
          + "to fill needs root; run the suite as root (CI does)");
    }
    assumeTrue("root".equals(System.getProperty("user.name")),
        "mounting a small tmpfs to fill needs root; run the suite as root (CI does)");
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs",
        dir.toString()).inheritIO().start();
    assertEquals(0, mount.waitFor(), "mount -t tmpfs failed");
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      assertEquals(0, new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor());
    }
  }

  @Test
  void aFullDeviceSaysNoSpaceAndLeavesNoFileBehind() throws Exception {
    try (PmemRegion first = PmemRegion.create(dir.resolve("fits"), 3 << 20)) {
      Path tooBig = dir.resolve("too-big");
      PmemNoSpaceException e = assertThrows(PmemNoSpaceException.class,
          () -> PmemRegion.create(tooBig, 2 << 20));
      assertTrue(e.getMessage().contains(tooBig.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
      assertTrue(e.getMessage().contains("free space"), e.getMessage());
      assertFalse(Files.exists(tooBig), "a failed create removes its partial file");
      byte[] data = {1, 2, 3};
      first.writeDurable(0, data, 0, 3);
    }
  }

  @Test
  void allocatingReservesTheSpaceAndAFullDeviceSaysNoSpace() throws Exception {
    Path file = dir.resolve("grown");
    Files.write(file, new byte[] {1});
    Pmem.allocate(file, 0, 3 << 20);
    assertEquals(3 << 20, Files.size(file));
    assertEquals(1, Files.readAllBytes(file)[0], "the bytes before stay");
    // The 4 MiB device has no room for 2 MiB more: the first 3 MiB are taken, not promised.
    Path other = dir.resolve("other");
    Files.write(other, new byte[0]);
    PmemNoSpaceException e = assertThrows(PmemNoSpaceException.class,
        () -> Pmem.allocate(other, 0, 2 << 20));
    assertTrue(e.getMessage().contains("posix_fallocate failed for " + other), e.getMessage());
    assertTrue(e.getMessage().contains("free space"), e.getMessage());
  }
}
