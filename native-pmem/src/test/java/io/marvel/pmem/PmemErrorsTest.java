package io.marvel.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PmemErrorsTest {
  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void creatingAnExistingFileNamesItAndSaysFileExists() throws Exception {
    Path file = dir.resolve("exists");
    Files.write(file, new byte[] {1, 2, 3});
    PmemFileExistsException e = assertThrows(PmemFileExistsException.class,
        () -> PmemRegion.create(file, 4096));
    assertTrue(e.getMessage().contains("pmem_map_file failed for " + file), e.getMessage());
    assertTrue(e.getMessage().contains("File exists"), e.getMessage());
    assertEquals(Errno.EEXIST, e.errno());
    assertEquals(3, Files.size(file), "the existing file is untouched");
  }

  @Test
  void openingAMissingFileSaysNoSuchFile() {
    Path file = dir.resolve("missing");
    PmemFileNotFoundException e = assertThrows(PmemFileNotFoundException.class,
        () -> PmemRegion.open(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
  }

  @Test
  void creatingInAMissingDirectorySaysCheckTheDirectory() {
    Path file = dir.resolve("no/such/dir/file");
    PmemFileNotFoundException e = assertThrows(PmemFileNotFoundException.class,
        () -> PmemRegion.create(file, 4096));
    assertTrue(e.getMessage().contains("check that the directory exists"), e.getMessage());
  }

  @Test
  void anEmptyFileCannotBeMapped() throws Exception {
    Path file = dir.resolve("empty");
    Files.createFile(file);
    PmemException e = assertThrows(PmemException.class, () -> PmemRegion.open(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("pmem_map_file"), e.getMessage());
  }

  @Test
  void aDirectoryCannotBeMapped() {
    PmemException e = assertThrows(PmemException.class, () -> PmemRegion.open(dir));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  @Test
  void rejectsNonPositiveLength() {
    assertThrows(IllegalArgumentException.class, () -> PmemRegion.create(dir.resolve("z"), 0));
    assertThrows(IllegalArgumentException.class, () -> PmemRegion.create(dir.resolve("z"), -5));
  }

  @Test
  void errnoPicksTheSubclassACallerCanActOn() {
    assertInstanceOf(PmemNoSpaceException.class, PmemErrors.forErrno("x", Errno.ENOSPC));
    assertInstanceOf(PmemNoSpaceException.class, PmemErrors.forErrno("x", Errno.EDQUOT));
    assertInstanceOf(PmemAccessDeniedException.class, PmemErrors.forErrno("x", Errno.EACCES));
    assertInstanceOf(PmemAccessDeniedException.class, PmemErrors.forErrno("x", Errno.EPERM));
    assertEquals(PmemException.class, PmemErrors.forErrno("x", Errno.EIO).getClass());
    PmemException denied = PmemErrors.fromNative("pmem_map_file", "/pmem/f", Errno.EACCES,
        "Permission denied", "");
    assertEquals("pmem_map_file failed for /pmem/f: Permission denied; check the permissions "
        + "of the file and its directory", denied.getMessage());
  }

  @Test
  void negativeResultsBecomeExceptionsWithStrerror() {
    PmemException e = assertThrows(PmemException.class,
        () -> PmemErrors.check(-Errno.EIO, "pmem_msync", "/pmem/f"));
    assertEquals("pmem_msync failed for /pmem/f: Input/output error", e.getMessage());
    assertEquals(Errno.EIO, e.errno());
  }

  @Test
  void errnoValuesComeFromTheSystemHeaders() {
    // Each value is the one the C library describes with that error's text.
    assertEquals("No space left on device", PmemNative.strerror(Errno.ENOSPC));
    assertEquals("Resource temporarily unavailable", PmemNative.strerror(Errno.EAGAIN));
    assertEquals("Bad file descriptor", PmemNative.strerror(Errno.EBADF));
    assertEquals("Broken pipe", PmemNative.strerror(Errno.EPIPE));
    assertEquals("Disk quota exceeded", PmemNative.strerror(Errno.EDQUOT));
    assertEquals("Operation not supported", PmemNative.strerror(Errno.EOPNOTSUPP));
  }

  @Test
  void missingLibpmemNamesTheInstallCommand() {
    PmemUnavailableException e = Pmem.unavailable(new UnsatisfiedLinkError(
        "/tmp/libmarvelpmem-1.so: libpmem.so.1: cannot open shared object file: No such file"));
    assertTrue(e.getMessage().startsWith("libpmem (PMDK) is not installed"), e.getMessage());
    assertTrue(e.getMessage().contains("sudo apt-get install libpmem1"), e.getMessage());
  }
}
