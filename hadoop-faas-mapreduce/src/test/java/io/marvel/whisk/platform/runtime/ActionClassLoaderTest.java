package io.marvel.whisk.platform.runtime;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonNull;
import io.marvel.whisk.testing.ActionJars;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An action's class loader with the index of this JVM's class path finds the same classes as
 * the plain parent-first lookup: the action's own classes from its jar, and every class the
 * class path (a jar or a directory of it) or the JDK provides from there, even when the
 * action's jar holds a copy.
 */
class ActionClassLoaderTest {
  @TempDir
  static Path dir;
  private static Path actionJar;
  private static ClassPathIndex index;

  @BeforeAll
  static void jarAndIndex() throws IOException {
    String cp = System.getProperty("java.class.path");
    Path file = dir.resolve("classpath.idx");
    ClassPathIndex.write(cp, file);
    index = ClassPathIndex.load(file, cp);
    assertNotNull(index, "the index of this JVM's class path fits it");
    byte[] noop = ActionJars.noop(dir.resolve("noop"));
    actionJar = dir.resolve("action.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(actionJar))) {
      copyEntries(noop, out);
      // Copies of classes the class path has: Gson's (a jar) and the runtime's (a directory).
      copyClass(JsonNull.class, out);
      copyClass(ExitGuard.class, out);
    }
  }

  @Test
  void loadsTheActionsOwnClassFromItsJar() throws Exception {
    for (ClassPathIndex i : Arrays.asList(index, null)) {
      try (ActionClassLoader loader = new ActionClassLoader(actionJar.toUri().toURL(), i)) {
        assertSame(loader, loader.loadClass(ActionJars.NOOP_MAIN).getClassLoader());
      }
    }
  }

  @Test
  void loadsWhatTheClassPathHasFromTheClassPath() throws Exception {
    for (ClassPathIndex i : Arrays.asList(index, null)) {
      try (ActionClassLoader loader = new ActionClassLoader(actionJar.toUri().toURL(), i)) {
        assertSame(JsonNull.class, loader.loadClass(JsonNull.class.getName()));
        assertSame(ExitGuard.class, loader.loadClass(ExitGuard.class.getName()));
        assertSame(String.class, loader.loadClass("java.lang.String"));
      }
    }
  }

  @Test
  void aClassThatIsNowhereIsNotFound() throws Exception {
    for (ClassPathIndex i : Arrays.asList(index, null)) {
      try (ActionClassLoader loader = new ActionClassLoader(actionJar.toUri().toURL(), i)) {
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("marvel.test.Nowhere"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("java.lang.Nowhere"));
      }
    }
  }

  private static void copyEntries(byte[] jar, JarOutputStream out) throws IOException {
    Path tmp = Files.write(dir.resolve("noop.jar"), jar);
    try (JarFile in = new JarFile(tmp.toFile())) {
      for (JarEntry e : in.stream().toList()) {
        out.putNextEntry(new JarEntry(e.getName()));
        try (InputStream bytes = in.getInputStream(e)) {
          bytes.transferTo(out);
        }
        out.closeEntry();
      }
    }
  }

  private static void copyClass(Class<?> c, JarOutputStream out) throws IOException {
    String entry = c.getName().replace('.', '/') + ".class";
    out.putNextEntry(new JarEntry(entry));
    try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
      in.transferTo(out);
    }
    out.closeEntry();
  }
}
