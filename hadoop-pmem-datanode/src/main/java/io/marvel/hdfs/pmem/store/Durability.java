package io.marvel.hdfs.pmem.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the store's file system changes durable: the entries of a directory (files created,
 * renamed in or out) and the size of a file. The bytes inside mapped block files are made
 * durable by libpmem (cache flushes, or msync) and need neither. {@link #FSYNC} is the real
 * implementation; tests pass one that records the calls and simulates a power cut.
 *
 * <p>Implementations are thread-safe.
 */
public interface Durability {
  /** The real thing: {@code fsync} of the directory or file. */
  Durability FSYNC = new Fsync();

  /**
   * Makes the entries of {@code dir} durable as they are now: after a power cut it lists what it
   * lists now.
   *
   * @param dir a directory
   * @throws IOException if the directory cannot be opened or synced
   */
  void syncDirectory(Path dir) throws IOException;

  /**
   * Makes the size and allocation of {@code file} durable as they are now.
   *
   * @param file a regular file
   * @throws IOException if the file cannot be opened or synced
   */
  void syncFile(Path file) throws IOException;

  /**
   * Creates {@code dir} and any missing parent, each durably: a directory's entry in its parent
   * is synced once it exists, so a power cut cannot take it away with what it will hold.
   *
   * @param dir the directory
   * @throws IOException if creating or syncing fails
   */
  default void createDirectories(Path dir) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path at = dir.toAbsolutePath(); at != null && Files.notExists(at); at = at.getParent()) {
      missing.add(at);
    }
    Files.createDirectories(dir);
    for (int i = missing.size() - 1; i >= 0; i--) {
      syncDirectory(missing.get(i).getParent());
    }
  }
}
