package io.marvel.pmem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Puts JUnit temporary directories on /dev/shm, the PMEM emulation, so tests exercise libpmem
 * on a memory-backed file system: {@code @TempDir(factory = ShmTempDirFactory.class)}. JUnit
 * deletes the directory after the test. Shared with other modules through the test jar.
 */
public final class ShmTempDirFactory implements TempDirFactory {
  /** Where emulated PMEM lives. */
  public static final Path SHM = Paths.get("/dev/shm");

  @Override
  public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context)
      throws IOException {
    return Files.createTempDirectory(SHM, "marvel-test-");
  }
}
