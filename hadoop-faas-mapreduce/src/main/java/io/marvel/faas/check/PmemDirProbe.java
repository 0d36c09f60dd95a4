package io.marvel.faas.check;

import io.marvel.pmem.Pmem;
import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * Checks that a directory can hold PMEM files: maps a small probe file there with libpmem, writes
 * it durably, reads it back and removes it. A directory that does not exist yet is not created
 * (a check changes nothing): the probe runs in its nearest existing parent, where the owner of the
 * directory will create it. Says when the directory is on a RAM file system, where nothing
 * survives a reboot.
 */
final class PmemDirProbe {
  private static final int PROBE_BYTES = 1 << 20;
  private static final Set<String> RAM_FILE_SYSTEMS = Set.of("tmpfs", "ramfs");

  private PmemDirProbe() {
  }

  /**
   * @param role what the directory is for, e.g. "DataNode PMEM dir"
   * @param dir the directory
   * @param onRam what it means for this role that the directory is on a RAM file system
   */
  static CheckResult probe(String role, Path dir, String onRam) {
    String subject = role + " " + dir;
    if (!Pmem.isAvailable()) {
      return CheckResult.fail(subject, "cannot be checked without libpmem");
    }
    Path existing = nearestExisting(dir.toAbsolutePath());
    if (!Files.isDirectory(existing)) {
      return CheckResult.fail(subject, "cannot create the directory: " + existing + " is not a "
          + "directory; choose another path, or create it and make it writable for "
          + System.getProperty("user.name"));
    }
    Path file = existing.resolve(".marvel-check-" + ProcessHandle.current().pid());
    try {
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
      String fileSystem = Files.getFileStore(existing).type();
      long free = Files.getFileStore(existing).getUsableSpace();
      return CheckResult.ok(subject, String.format("%smapped with libpmem, is_pmem=%s%s, %d MiB "
          + "free%s", existing.equals(dir.toAbsolutePath()) ? ""
          : "does not exist yet (created on first use; " + existing + " is usable), ", pmem,
          pmem ? "" : " (persisting with msync: not a DAX mount)", free >> 20,
          RAM_FILE_SYSTEMS.contains(fileSystem) ? "; on " + fileSystem + ", which is RAM: "
          + onRam : ""));
    } catch (PmemException e) {
      return CheckResult.fail(subject, e.getMessage());
    } catch (IOException e) {
      return CheckResult.fail(subject, "cannot be used (" + e + "); make it writable for "
          + System.getProperty("user.name"));
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // The probe file is tiny and named for this process; failing to remove it changes no
        // verdict, and the directory problem behind it was reported above.
      }
    }
  }

  private static Path nearestExisting(Path dir) {
    Path path = dir;
    while (path.getParent() != null && !Files.exists(path)) {
      path = path.getParent();
    }
    return path;
  }
}
