package io.marvel.whisk.platform.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index of a class path: which packages its jars (and the jars their {@code Class-Path}
 * names) hold, looked up in its directories at each question, and used only while every entry
 * is what it was when the index was written.
 */
class ClassPathIndexTest {
  @TempDir
  Path dir;
  private Path mainJar;
  private Path referenced;
  private Path classes;
  private Path missing;
  private String cp;
  private Path index;

  @BeforeEach
  void classPath() throws IOException {
    referenced = jar(dir.resolve("sub").resolve("referenced.jar"), null, "pkg/ref/R.class");
    mainJar = jar(dir.resolve("main.jar"), "sub/referenced.jar", "pkg/a/A.class",
        "pkg/a/A2.class", "pkg/ab/X.class", "pkg/a/sub/Y.class", "pkg/a/A3.class",
        "META-INF/versions/11/pkg/mr/B.class", "Top.class");
    classes = Files.createDirectories(dir.resolve("classes"));
    missing = dir.resolve("missing.jar");
    cp = String.join(File.pathSeparator, mainJar.toString(), classes.toString(),
        missing.toString());
    index = dir.resolve("classpath.idx");
    ClassPathIndex.write(cp, index);
  }

  @Test
  void knowsThePackagesOfTheJarsAndThoseTheirClassPathNames() {
    ClassPathIndex i = ClassPathIndex.load(index, cp);
    assertNotNull(i);
    assertTrue(i.mayProvide("pkg.a"));
    assertTrue(i.mayProvide("pkg.ab"), "a package whose name starts with the one before it");
    assertTrue(i.mayProvide("pkg.a.sub"));
    assertTrue(i.mayProvide("pkg.mr"), "a multi-release jar's versioned package");
    assertTrue(i.mayProvide("pkg.ref"), "the package of the jar Class-Path names");
    assertTrue(i.mayProvide(""), "the unnamed package");
    assertFalse(i.mayProvide("pkg.action"));
    assertFalse(i.mayProvide("pkg"), "a directory of the jar with no file in it");
  }

  @Test
  void isReadableByWhoeverMayReadANewFileThere() throws IOException {
    // The task image writes it as root; its runtime reads it as another user.
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(index));
  }

  @Test
  void looksIntoTheDirectoriesAtEachQuestion() throws IOException {
    ClassPathIndex i = ClassPathIndex.load(index, cp);
    assertFalse(i.mayProvide("pkg.late"));
    Files.createDirectories(classes.resolve("pkg").resolve("late"));
    assertTrue(i.mayProvide("pkg.late"));
  }

  @Test
  void fitsTheSameEntriesInAnotherOrder() {
    String reordered = String.join(File.pathSeparator, missing.toString(), mainJar.toString(),
        classes.toString());
    assertNotNull(ClassPathIndex.load(index, reordered));
  }

  @Test
  void isNotUsedForAnotherClassPath() throws IOException {
    Path other = jar(dir.resolve("other.jar"), null, "pkg/action/C.class");
    assertNull(ClassPathIndex.load(index, cp + File.pathSeparator + other));
    assertNull(ClassPathIndex.load(index, ""), "the current directory is not on its class path");
  }

  @Test
  void isNotUsedOnceAJarChanged() throws IOException {
    jar(mainJar, "sub/referenced.jar", "pkg/a/A.class", "pkg/action/C.class");
    assertNull(ClassPathIndex.load(index, cp));
  }

  @Test
  void isNotUsedOnceAJarItsClassPathNamesChanged() throws IOException {
    jar(referenced, null, "pkg/ref/R.class", "pkg/action/C.class");
    assertNull(ClassPathIndex.load(index, cp));
  }

  @Test
  void isNotUsedOnceAMissingEntryAppeared() throws IOException {
    jar(missing, null, "pkg/action/C.class");
    assertNull(ClassPathIndex.load(index, cp));
  }

  @Test
  void isNotUsedIfMissingOrNotAnIndex() throws IOException {
    assertNull(ClassPathIndex.load(dir.resolve("none.idx"), cp));
    Path bad = Files.writeString(dir.resolve("bad.idx"), "package pkg.action\n");
    assertNull(ClassPathIndex.load(bad, cp));
  }

  @Test
  void refusesAClassPathAttributeThatNamesNoFile() throws IOException {
    Path remote = jar(dir.resolve("remote.jar"), "http://example.invalid/x.jar", "pkg/r/R.class");
    IOException e = assertThrows(IOException.class, () -> ClassPathIndex.write(remote.toString(),
        dir.resolve("remote.idx")));
    assertTrue(e.getMessage().contains("http://example.invalid/x.jar"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("remote.idx")));
  }

  /** Writes a jar with these (empty) entries and, unless null, that Class-Path attribute. */
  private static Path jar(Path file, String classPath, String... entries) throws IOException {
    Files.createDirectories(file.getParent());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (classPath != null) {
      manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), manifest)) {
      for (String entry : entries) {
        out.putNextEntry(new JarEntry(entry));
        out.write(entry.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return file;
  }
}
