package io.marvel.faas.state;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.pmem.PmemNoSpaceException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Optional;
import org.apache.hadoop.util.DiskChecker.DiskErrorException;

/**
 * Names a PMEM state dir that has no room left in a failed attempt's diagnostics. With the
 * PMEM store, a task's spills and its map output both go to that dir, and Hadoop reports it
 * full as "Could not find any valid local directory" or "No space left on device", native-pmem
 * as {@link PmemNoSpaceException}: none of them says which setting to change.
 */
final class FullStateDir {
  private FullStateDir() {
  }

  /**
   * @param root the PMEM store's root, where the attempt kept its state
   * @param failure why it failed
   * @return a first line for its diagnostics, if the failure is a full PMEM state dir
   */
  static Optional<String> explain(String root, Throwable failure) {
    if (!isNoSpace(failure)) {
      return Optional.empty();
    }
    return Optional.of("The PMEM state dir " + root + " has no room for this task ("
        + space(root) + "): free space there, point "
        + FaasConfigKeys.STATE_PMEM_DIR_KEY + " at a larger PMEM device, or set "
        + FaasConfigKeys.STATE_STORE_KEY + "=hdfs.");
  }

  private static boolean isNoSpace(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof PmemNoSpaceException || message.contains("No space left on device")
          || t instanceof DiskErrorException
          && message.startsWith("Could not find any valid local directory")) {
        return true;
      }
    }
    return false;
  }

  private static String space(String root) {
    try {
      FileStore device = Files.getFileStore(Paths.get(root));
      return device.getUsableSpace() + " of " + device.getTotalSpace() + " bytes free";
    } catch (IOException e) {
      return "free space unknown: " + e.getMessage();
    }
  }
}
