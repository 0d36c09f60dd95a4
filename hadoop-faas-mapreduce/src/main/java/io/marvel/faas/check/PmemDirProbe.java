package io.marvel.faas.check;

import io.marvel.pmem.Pmem;
import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Checks that a directory can hold PMEM files: creates it if needed, maps a small probe file
 * there with libpmem, writes it durably, reads it back and removes it.
 */
final class PmemDirProbe {
  private static final int PROBE_BYTES = 1 << 20;

  private PmemDirProbe() {
  }

  static CheckResult probe(String role, Path dir) {
    String subject = role + " " + dir;
    if (!Pmem.isAvailable()) {
      return CheckResult.fail(subject, "cannot be checked without libpmem");
    }
    Path file = dir.resolve(".marvel-check-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(dir);
      byte[] message = "marvel check".getBytes(StandardCharsets.US_ASCII);
      byte[] back = new byte[message.length];
      boolean pmem;
      try (PmemRegion region = PmemRegion.create(file, PROBE_BYTES)) {
        pmem = region.isPmem();
        region.writeDurable(PROBE_BYTES - message.length, message, 0, message.length);
        region.read(PROBE_BYTES - message.length, back, 0, back.length);
      }
      if (!Arrays.equals(message, back)) {
        return CheckResult.fail(subject, "read back different bytes than written");
      }
      long free = Files.getFileStore(dir).getUsableSpace();
      return CheckResult.ok(subject, String.format("mapped with libpmem, is_pmem=%s%s, %d MiB "
          + "free", pmem, pmem ? "" : " (persisting with msync: not a DAX mount; on tmpfs set "
          + "PMEM_IS_PMEM_FORCE=1)", free >> 20));
    } catch (PmemException e) {
      return CheckResult.fail(subject, e.getMessage());
    } catch (IOException e) {
      return CheckResult.fail(subject, "cannot create the directory (" + e + "); create it "
          + "and make it writable for " + System.getProperty("user.name"));
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // The probe file is tiny and named for this process; failing to remove it changes no
        // verdict, and the directory problem behind it was reported above.
      }
    }
  }
}
