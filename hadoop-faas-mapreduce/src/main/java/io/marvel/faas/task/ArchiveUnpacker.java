package io.marvel.faas.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.util.RunJar;

/**
 * Unpacks a distributed-cache archive the way YARN's localizer does: the target's name decides
 * the format (.jar, .zip, .tar, .tar.gz, .tgz) and Hadoop's own utilities do the unpacking; a
 * file of any other name is kept as it is, under the target name.
 */
final class ArchiveUnpacker {
  private ArchiveUnpacker() {
  }

  /**
   * @param archive the downloaded archive; consumed (moved) when its format is not known. For
   *     tar files Hadoop picks gzip by this file's name, so it must keep the archive's name.
   * @param target the directory to unpack into (created), or the file name for an unknown format
   * @throws IOException if the archive cannot be read or unpacked
   */
  static void unpack(Path archive, Path target) throws IOException {
    String name = target.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jar")) {
      Files.createDirectories(target);
      RunJar.unJar(archive.toFile(), target.toFile(), RunJar.MATCH_ANY);
    } else if (name.endsWith(".zip")) {
      Files.createDirectories(target);
      FileUtil.unZip(archive.toFile(), target.toFile());
    } else if (name.endsWith(".tar.gz") || name.endsWith(".tgz") || name.endsWith(".tar")) {
      Files.createDirectories(target);
      FileUtil.unTar(archive.toFile(), target.toFile());
    } else {
      // YARN warns and localizes such an "archive" as the file itself; so do we.
      Files.move(archive, target);
    }
  }
}
