package io.marvel.faas.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing what a test created outside its {@code @TempDir} (on /dev/shm, which is RAM). */
public final class TestFiles {
  private TestFiles() {
  }

  /**
   * Deletes a directory tree; nothing if it does not exist.
   *
   * @param root the tree, or null
   * @throws IOException if a file cannot be deleted
   */
  public static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
