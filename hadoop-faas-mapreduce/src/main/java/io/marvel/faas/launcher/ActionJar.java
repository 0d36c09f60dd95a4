package io.marvel.faas.launcher;

import io.marvel.faas.protocol.TaskEntryPoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The code of the task action: the jar holding its main class ({@link
 * TaskEntryPoint#actionClass()}) when running from a jar, or, from a build tree, the faas
 * classes packed into a jar with fixed timestamps so that equal code gives equal bytes (and so
 * an unchanged deploy hash). Hadoop and Gson come from the runtime's class path, as with
 * OpenWhisk's Java runtime plus the distribution's jars.
 */
final class ActionJar {
  private static final Class<?> ACTION = TaskEntryPoint.load().actionClass();
  static final String MAIN = ACTION.getName();

  private ActionJar() {
  }

  /**
   * @return the action jar's bytes
   * @throws IOException if the classes cannot be read
   */
  static byte[] bytes() throws IOException {
    Path source;
    try {
      source = Path.of(ACTION.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate the classes of " + MAIN, e);
    }
    if (Files.isRegularFile(source)) {
      return Files.readAllBytes(source);
    }
    Path faas = source.resolve("io/marvel/faas");
    List<Path> classes;
    try (Stream<Path> files = Files.walk(faas)) {
      classes = files.filter(Files::isRegularFile).sorted().toList();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes)) {
      for (Path file : classes) {
        JarEntry entry = new JarEntry(source.relativize(file).toString().replace('\\', '/'));
        entry.setTime(0);
        jar.putNextEntry(entry);
        jar.write(Files.readAllBytes(file));
        jar.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
