package io.marvel.pmem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads Marvel's native PMEM library once per process and reports whether PMEM is usable.
 *
 * <p>The library {@code libmarvelpmem.so} is looked up on {@code java.library.path} first; if it
 * is not there, the copy inside the native-pmem jar is extracted to a fresh owner-only temporary
 * file, loaded and deleted. Loading fails when libpmem itself is missing; then every PMEM call
 * throws {@link PmemUnavailableException} with the command that installs it. Thread-safe.
 */
public final class Pmem {
  private static final Logger LOG = LoggerFactory.getLogger(Pmem.class);

  /** The name passed to {@link System#loadLibrary}. */
  public static final String LIBRARY_NAME = "marvelpmem";
  /** Where the library sits inside the native-pmem jar. */
  public static final String JAR_RESOURCE = "/native/linux-x86_64/libmarvelpmem.so";
  /** What a Debian or Ubuntu operator types to get libpmem. */
  public static final String INSTALL_HINT =
      "install libpmem with 'sudo apt-get install libpmem1' (Debian/Ubuntu; the build needs "
      + "libpmem-dev) or 'sudo dnf install libpmem' (Fedora/RHEL)";

  private Pmem() {
  }

  /** Loading happens in the holder's initializer: once, and safely across threads. */
  private static final class Loader {
    static final Throwable FAILURE = load();

    private static Throwable load() {
      try {
        loadLibrary();
        String versionProblem = PmemNative.checkVersion();
        if (versionProblem != null) {
          return new PmemUnavailableException("libpmem is too old for Marvel: " + versionProblem
              + "; " + INSTALL_HINT, null);
        }
        return null;
      } catch (UnsatisfiedLinkError | IOException e) {
        PmemUnavailableException failure = unavailable(e);
        LOG.warn("PMEM is unavailable: {}", failure.getMessage());
        return failure;
      }
    }
  }

  private static void loadLibrary() throws IOException {
    try {
      System.loadLibrary(LIBRARY_NAME);
      return;
    } catch (UnsatisfiedLinkError notOnLibraryPath) {
      if (!isNotFound(notOnLibraryPath)) {
        throw notOnLibraryPath;
      }
    }
    Path extracted = Files.createTempFile("libmarvelpmem-", ".so");
    try {
      try (InputStream in = Pmem.class.getResourceAsStream(JAR_RESOURCE)) {
        if (in == null) {
          throw new IOException("libmarvelpmem.so is neither on java.library.path ("
              + System.getProperty("java.library.path") + ") nor in the native-pmem jar at "
              + JAR_RESOURCE + "; rebuild native-pmem with 'mvn package'");
        }
        Files.copy(in, extracted, StandardCopyOption.REPLACE_EXISTING);
      }
      System.load(extracted.toAbsolutePath().toString());
    } finally {
      Files.deleteIfExists(extracted);
    }
  }

  private static boolean isNotFound(UnsatisfiedLinkError e) {
    return String.valueOf(e.getMessage()).startsWith("no " + LIBRARY_NAME + " in");
  }

  /** Builds the message for a load failure: what is missing and how to fix it. */
  static PmemUnavailableException unavailable(Throwable cause) {
    String message = String.valueOf(cause.getMessage());
    if (message.contains("libpmem")) {
      return new PmemUnavailableException("libpmem (PMDK) is not installed or cannot be loaded ("
          + message + "); " + INSTALL_HINT, cause);
    }
    return new PmemUnavailableException("Marvel's native PMEM library could not be loaded ("
        + message + "); check that libmarvelpmem.so matches this machine and " + INSTALL_HINT,
        cause);
  }

  /** @return true when the native library and libpmem are loaded and usable */
  public static boolean isAvailable() {
    return Loader.FAILURE == null;
  }

  /** @return why PMEM is unavailable, or null when it is available */
  public static Throwable unavailabilityCause() {
    return Loader.FAILURE;
  }

  /**
   * Allocates bytes [offset, offset + length) of an existing file, growing it when the range
   * ends past its end ({@code posix_fallocate}): the file system reserves the space now and the
   * new bytes read as zeros, so a store through a mapping of them never meets a hole, which on
   * a full device would kill the process with SIGBUS. Unlike writing zeros it copies nothing
   * (on a DAX file system the blocks are zeroed when first mapped). Not durable: sync the file
   * to make its new size survive a power cut.
   *
   * @param file the file
   * @param offset where the range starts, at least 0
   * @param length bytes to allocate, at least 1
   * @throws PmemNoSpaceException if the device cannot hold the range
   * @throws PmemException if the file cannot be opened or allocated, naming it and the reason
   * @throws PmemUnavailableException if the native library is not loaded
   */
  public static void allocate(Path file, long offset, long length) throws PmemException {
    if (offset < 0 || length <= 0) {
      throw new IllegalArgumentException("cannot allocate " + length + " bytes at " + offset
          + " of " + file);
    }
    ensureAvailable();
    String path = file.toAbsolutePath().toString();
    PmemErrors.check(PmemNative.allocate(path, offset, length), "posix_fallocate", path);
  }

  /**
   * Lets the calling thread run only when a CPU would otherwise be idle (Linux SCHED_IDLE), for
   * work done ahead of need, such as preparing mappings: it then never delays threads that
   * answer requests. The setting stays with the thread for its lifetime.
   *
   * @return true when the thread now runs at idle priority, false when the system refused
   * @throws PmemUnavailableException if the native library is not loaded
   */
  public static boolean runCurrentThreadWhenIdle() throws PmemUnavailableException {
    ensureAvailable();
    return PmemNative.runWhenIdle() == 0;
  }

  /**
   * Returns normally when PMEM is usable.
   *
   * @throws PmemUnavailableException naming what is missing and the install command
   */
  public static void ensureAvailable() throws PmemUnavailableException {
    Throwable failure = Loader.FAILURE;
    if (failure != null) {
      throw new PmemUnavailableException(failure.getMessage(), failure);
    }
  }
}
