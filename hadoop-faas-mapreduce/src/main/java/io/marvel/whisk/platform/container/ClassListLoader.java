package io.marvel.whisk.platform.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Permission;

/**
 * The main class of the JVM that makes a {@link ClassDataArchive}: loads, without initializing
 * them, the classes a class list names (the format of the JDK's
 * {@code -XX:DumpLoadedClassList}: one binary name with slashes per line, {@code #} comments,
 * {@code @} directives), so that {@code -XX:ArchiveClassesAtExit} archives them when it returns.
 * A class that is not on the class path or does not link is skipped: the archive then lacks it.
 * Then it installs a security manager, as every container's runtime does first ({@code
 * ExitGuard}): the JDK makes lambda classes for that, which the archive then holds too, so
 * that containers map them instead of spinning them at each start.
 */
@SuppressWarnings("removal")
public final class ClassListLoader extends SecurityManager {
  /**
   * The security manager it installs: itself, so that its jar holds one class (the archive
   * maker writes that class alone into it).
   */
  private ClassListLoader() {
  }

  @Override
  public void checkPermission(Permission perm) {
    // Anything is allowed: this JVM only ends, and only what it loaded matters.
  }

  @Override
  public void checkPermission(Permission perm, Object context) {
    // As above.
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
    installSecurityManager();
  }

  private static void installSecurityManager() {
    try {
      System.setSecurityManager(new ClassListLoader());
    } catch (UnsupportedOperationException e) {
      // A JVM of Java 18 or later started without -Djava.security.manager=allow; its archive
      // lacks those classes and its containers make them.
    }
  }
}
