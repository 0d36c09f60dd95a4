package io.marvel.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class PmemLoadingTest {
  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void selfCheckLoadsTheLibraryFromTheJarAndRoundTripsData() throws Exception {
    JavaProcess.Result result = JavaProcess.run(List.of(), SelfCheck.class, dir.toString());
    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("is_pmem=true"), result.output());
    assertTrue(result.output().contains("native-pmem self-check passed"), result.output());
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "the self-check removes its file");
    }
  }

  @Test
  void theLibraryLoadsFromTheLibraryPathWhenItIsThere() throws Exception {
    Path libDir = Files.createDirectory(dir.resolve("lib"));
    try (var in = Pmem.class.getResourceAsStream(Pmem.JAR_RESOURCE)) {
      Files.copy(in, libDir.resolve("libmarvelpmem.so"));
    }
    JavaProcess.Result result = JavaProcess.run(
        List.of("-Djava.library.path=" + libDir, "-Djava.io.tmpdir=/nonexistent"),
        SelfCheck.class, dir.toString());
    // With no usable temp dir, passing proves the jar copy was not extracted.
    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("native-pmem self-check passed"), result.output());
  }

  @Test
  void aBrokenLibraryOnTheLibraryPathIsReportedWithTheFix() throws Exception {
    Path libDir = Files.createDirectory(dir.resolve("lib"));
    Files.write(libDir.resolve("libmarvelpmem.so"), new byte[] {0x7f, 'E', 'L', 'F'});
    JavaProcess.Result result = JavaProcess.run(
        List.of("-Djava.library.path=" + libDir), SelfCheck.class, dir.toString());
    assertEquals(1, result.exitCode(), result.output());
    assertTrue(result.output().contains("native PMEM library could not be loaded"),
        result.output());
    assertTrue(result.output().contains("libmarvelpmem.so"), result.output());
    assertTrue(result.output().contains("apt-get install libpmem1"), result.output());
  }

  @Test
  void aSelfCheckInAMissingDirectoryExplainsIt() throws Exception {
    Path missing = dir.resolve("not-there");
    JavaProcess.Result result = JavaProcess.run(List.of(), SelfCheck.class, missing.toString());
    assertEquals(1, result.exitCode(), result.output());
    assertTrue(result.output().contains(missing.toString())
        && result.output().contains("check that the directory exists"), result.output());
  }
}
