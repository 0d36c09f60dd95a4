package io.marvel.faas.task;

import io.marvel.faas.protocol.WarmUp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.mapred.JobConf;

/**
 * What a container does for a warm-up activation ({@link WarmUp}): it loads, without
 * initializing them, the classes of the task class list that {@value #CLASS_LIST_ENV} names (the
 * embedded platform and the task image set it; from the class data archive when there is one),
 * and parses Hadoop's default configuration and finds its file systems, the first things every
 * task does. It touches no job, no file system and no user, so a task that follows sees the JVM
 * as a first task would, only with that work done.
 */
final class TaskWarmUp {
  /** The environment variable naming the task class list of a container. */
  static final String CLASS_LIST_ENV = "MARVEL_TASK_CLASSLIST";

  private TaskWarmUp() {
  }

  /**
   * @param containerId this container's id
   * @return what the warm-up did
   * @throws UncheckedIOException if {@value #CLASS_LIST_ENV} names a class list that cannot be
   *     read, naming it
   */
  static WarmUp.Reply run(String containerId) {
    long t0 = System.nanoTime();
    String list = System.getenv(CLASS_LIST_ENV);
    int loaded = list == null || list.isBlank() ? 0 : loadClasses(Path.of(list));
    Configuration conf = new JobConf();
    // Parses core-default.xml, mapred-default.xml and the site files.
    conf.size();
    try {
      FileSystem.getFileSystemClass("file", conf);
    } catch (IOException e) {
      throw new UncheckedIOException("warm-up: no local file system class: " + e, e);
    }
    return new WarmUp.Reply(containerId, loaded, (System.nanoTime() - t0) / 1_000_000);
  }

  /** Loads the listed classes that are on the class path; the others are skipped. */
  private static int loadClasses(Path list) {
    Iterable<String> lines;
    try {
      lines = Files.readAllLines(list, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("warm-up: cannot read the task class list " + list
          + " that " + CLASS_LIST_ENV + " names (" + e + "); fix the path or unset it", e);
    }
    ClassLoader loader = TaskWarmUp.class.getClassLoader();
    int loaded = 0;
    for (String line : lines) {
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
        // A class of the job that recorded the list, or of another class path: not needed.
      }
    }
    return loaded;
  }
}
