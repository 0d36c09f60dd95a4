package io.marvel.whisk.platform.container;

import io.marvel.whisk.platform.runtime.ClassPathIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the index of the containers' class path ({@link ClassPathIndex}), with which their
 * runtime finds an action's own classes without opening every jar of the class path first.
 */
public final class ClassPathIndexFile {
  private static final Logger LOG = LoggerFactory.getLogger(ClassPathIndexFile.class);

  private ClassPathIndexFile() {
  }

  /**
   * Writes the index (a fraction of a second for ~190 jars). Never throws: containers without
   * an index look up an action's classes on the class path first, as before.
   *
   * @param classpath the containers' class path
   * @param file where to write it
   * @return the containers' environment entry naming the index, or none if it was not written
   */
  public static Map<String, String> write(String classpath, Path file) {
    try {
      ClassPathIndex.write(classpath, file);
      return Map.of(ClassPathIndex.ENV, file.toString());
    } catch (IOException e) {
      LOG.warn("Containers look for an action's classes on their whole class path first: the"
          + " index of their class path could not be written to {}: {}", file, e.toString());
      return Map.of();
    }
  }
}
