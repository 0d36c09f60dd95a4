package io.marvel.hdfs.pmem.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@link Durability} by {@code fsync(2)}: a directory opened for reading can be synced too. */
final class Fsync implements Durability {
  @Override
  public void syncDirectory(Path dir) throws IOException {
    sync(dir);
  }

  @Override
  public void syncFile(Path file) throws IOException {
    sync(file);
  }

  private static void sync(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  @Override
  public String toString() {
    return "fsync";
  }
}
