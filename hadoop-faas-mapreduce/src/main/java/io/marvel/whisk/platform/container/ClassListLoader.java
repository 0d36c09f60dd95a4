package io.marvel.whisk.platform.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The main class of the JVM that makes a {@link ClassDataArchive}: loads, without initializing
 * them, the classes a class list names (the format of the JDK's
 * {@code -XX:DumpLoadedClassList}: one binary name with slashes per line, {@code #} comments,
 * {@code @} directives), so that {@code -XX:ArchiveClassesAtExit} archives them when it returns.
 * A class that is not on the class path or does not link is skipped: the archive then lacks it.
 */
public final class ClassListLoader {
  private ClassListLoader() {
  }

  /**
   * @param args the class list file
   * @throws IOException if the class list cannot be read
   */
  public static void main(String[] args) throws IOException {
    ClassLoader loader = ClassLoader.getSystemClassLoader();
    int loaded = 0;
    int skipped = 0;
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#") || name.startsWith("@")) {
        continue;
      }
      int space = name.indexOf(' ');
      name = (space < 0 ? name : name.substring(0, space)).replace('/', '.');
      try {
        Class.forName(name, false, loader);
        loaded++;
      } catch (ClassNotFoundException | LinkageError e) {
        // Not on this class path (a class of a job jar, a directory entry): not archived.
        skipped++;
      }
    }
    System.out.println("classes loaded: " + loaded + ", skipped: " + skipped);
  }
}
