package io.marvel.pmem;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Arrays;

/**
 * {@code java -cp native-pmem.jar io.marvel.pmem.SelfCheck [dir]}: maps a PMEM file in
 * {@code dir} (default /dev/shm), writes a message durably, reads it back through a fresh
 * mapping and prints what it found. Exits 0 when everything checked out, 1 otherwise, with the
 * reason and the fix on stderr.
 */
public final class SelfCheck {
  private SelfCheck() {
  }

  /**
   * @param args an optional directory on a PMEM (DAX) mount or tmpfs
   */
  public static void main(String[] args) {
    Path dir = Paths.get(args.length > 0 ? args[0] : "/dev/shm");
    System.exit(run(dir, System.out, System.err) ? 0 : 1);
  }

  static boolean run(Path dir, PrintStream out, PrintStream err) {
    if (!Pmem.isAvailable()) {
      err.println("native-pmem: " + Pmem.unavailabilityCause().getMessage());
      return false;
    }
    out.println("native-pmem: libmarvelpmem and libpmem loaded");
    Path file = dir.resolve("marvel-selfcheck-" + ProcessHandle.current().pid() + ".pmem");
    byte[] message = ("Marvel was here at " + Instant.now()).getBytes(StandardCharsets.UTF_8);
    try {
      try (PmemRegion region = PmemRegion.create(file, 2 << 20)) {
        String how = region.isPmem() ? "persists with cache flushes" : "persists with msync";
        out.printf("mapped %s: %d bytes, is_pmem=%s (%s)%n", file, region.length(),
            region.isPmem(), how);
        region.writeDurable(1 << 20, message, 0, message.length);
        out.printf("wrote %d bytes at offset %d and persisted them%n", message.length, 1 << 20);
      }
      byte[] back = new byte[message.length];
      try (PmemRegion region = PmemRegion.open(file)) {
        region.read(1 << 20, back, 0, back.length);
      }
      if (!Arrays.equals(message, back)) {
        err.println("native-pmem: read back different bytes than written: PMEM is not usable");
        return false;
      }
      out.println("read back after remapping: \"" + new String(back, StandardCharsets.UTF_8)
          + "\"");
      out.println("native-pmem self-check passed");
      return true;
    } catch (PmemException e) {
      err.println("native-pmem: " + e.getMessage());
      return false;
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (java.io.IOException e) {
        err.println("native-pmem: could not remove " + file + ": " + e.getMessage());
      }
    }
  }
}
