package io.marvel.whisk.platform.container;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A class path split for class data sharing: its jars (entries ending in {@code .jar} that are
 * files), which an archive may hold classes of, and the rest (directories, missing entries), in
 * their order.
 *
 * @param jars the jar entries
 * @param rest the other entries
 */
record ClassPath(List<String> jars, List<String> rest) {
  ClassPath {
    jars = List.copyOf(jars);
    rest = List.copyOf(rest);
  }

  /** @return the parts of a class path in the platform's form ({@code :}-separated) */
  static ClassPath split(String classpath) {
    List<String> jars = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry))) {
        jars.add(entry);
      } else {
        rest.add(entry);
      }
    }
    return new ClassPath(jars, rest);
  }

  /** @return the entries of both lists, first then second, as one class path */
  static String join(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return String.join(File.pathSeparator, all);
  }
}
