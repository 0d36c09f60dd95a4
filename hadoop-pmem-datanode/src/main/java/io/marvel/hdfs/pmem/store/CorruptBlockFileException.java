package io.marvel.hdfs.pmem.store;

import java.io.IOException;
import java.nio.file.Path;

/** A block file whose header cannot be read: neither slot holds a valid header. */
public final class CorruptBlockFileException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param file the file
   * @param problem what is wrong with it
   */
  public CorruptBlockFileException(Path file, String problem) {
    super("PMEM block file " + file + " is unreadable: " + problem);
  }
}
