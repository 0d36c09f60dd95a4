package io.marvel.hdfs.pmem.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up scan of a {@link BlockFilePool}'s directory: opens the free pairs of the pool's
 * layout, deletes free pairs of another layout or with an unreadable header and the halves of
 * pairs a crash split while renaming, and sets aside (renamed {@code .corrupt}, with a warning)
 * a pool file whose header is not FREE: block files never enter the pool before their header
 * durably says FREE, so such a file may hold a replica and is not ours to delete.
 */
final class PoolDirectoryScan {
  /** Name prefix of the pool's files. */
  static final String FREE_PREFIX = "free-";
  private static final Logger LOG = LoggerFactory.getLogger(PoolDirectoryScan.class);
  private static final String CORRUPT_SUFFIX = VolumeScan.CORRUPT_SUFFIX;

  private final Path dir;
  private final BlockFileLayout layout;
  private final Durability durability;

  PoolDirectoryScan(Path dir, BlockFileLayout layout, Durability durability) {
    this.dir = dir;
    this.layout = layout;
    this.durability = durability;
  }

  /**
   * @return the free pairs of the layout, open
   * @throws IOException if the directory cannot be listed or a file cannot be handled
   */
  List<BlockFile> adoptFreeFiles() throws IOException {
    List<BlockFile> adopted = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, FREE_PREFIX + "*")) {
      for (Path path : files) {
        String name = path.getFileName().toString();
        if (!name.endsWith(BlockFile.META_SUFFIX) && !name.endsWith(CORRUPT_SUFFIX)) {
          adopt(path, adopted);
        }
      }
    } catch (IOException | RuntimeException e) {
      for (BlockFile file : adopted) {
        try {
          file.close();
        } catch (IOException | RuntimeException closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
    // Meta files whose data file is gone: a crash split their pair while it was renamed.
    try (DirectoryStream<Path> metas = Files.newDirectoryStream(dir,
        FREE_PREFIX + "*" + BlockFile.META_SUFFIX)) {
      for (Path meta : metas) {
        String name = meta.getFileName().toString();
        if (Files.notExists(meta.resolveSibling(name.substring(0,
            name.length() - BlockFile.META_SUFFIX.length())))) {
          LOG.info("Deleting {}: a free meta file without its data file", meta);
          Files.deleteIfExists(meta);
        }
      }
    }
    return adopted;
  }

  private void adopt(Path path, List<BlockFile> adopted) throws IOException {
    Path metaAside = BlockFile.metaPath(path).resolveSibling(
        BlockFile.metaPath(path).getFileName() + CORRUPT_SUFFIX);
    if (Files.exists(metaAside)) {
      // Setting this pair aside was cut short after its meta file.
      Files.move(path, path.resolveSibling(path.getFileName() + CORRUPT_SUFFIX));
      return;
    }
    if (Files.notExists(BlockFile.metaPath(path))) {
      // Half of a pair a crash split, or a free file of the single-file layout: no replica.
      LOG.info("Deleting {}: a free data file without its meta file", path);
      Files.deleteIfExists(path);
      return;
    }
    try {
      BlockFile file = BlockFile.open(path, durability);
      BlockFileState state = file.header().state();
      if (state != BlockFileState.FREE) {
        file.close();
        setAside(path, state);
      } else if (file.layout().equals(layout)) {
        adopted.add(file);
      } else {
        file.delete();
      }
    } catch (CorruptBlockFileException e) {
      LOG.warn("Deleting unreadable free block file {}: {}", path, e.getMessage());
      BlockFile.deleteFiles(path);
    }
  }

  /**
   * Keeps a pool file whose header holds a replica (block files never enter the pool before
   * their header durably says FREE, so only a file system that lost a synced rename, or an
   * earlier version, leaves one): renamed with {@code .corrupt} and left for the operator.
   * The meta file goes first; {@link #adopt} finishes a pair whose data file was left behind.
   */
  private void setAside(Path path, BlockFileState state) throws IOException {
    Path meta = BlockFile.metaPath(path);
    Path aside = path.resolveSibling(path.getFileName() + CORRUPT_SUFFIX);
    LOG.warn("Pool file {} holds a {} replica, not a free file; moved to {} and not served: "
        + "move it and its meta file into the block pool's pmem directory as blk_<id> to serve "
        + "it again, or delete them", path, state, aside);
    Files.move(meta, meta.resolveSibling(meta.getFileName() + CORRUPT_SUFFIX));
    Files.move(path, aside);
  }
}
