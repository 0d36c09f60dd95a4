package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.DurableHeader.Versioned;
import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Maps the two files of a {@link BlockFile}: creates a free pair, or opens an existing one and
 * checks its header and file lengths. A failure undoes what was done (unmaps, and deletes what
 * a create made) before the exception leaves. See {@link BlockFile#create} and
 * {@link BlockFile#open} for the contracts.
 */
final class BlockFileMapper {
  private BlockFileMapper() {
  }

  /** @see BlockFile#create(Path, BlockFileLayout, Durability) */
  static BlockFile create(Path path, BlockFileLayout layout, Durability durability)
      throws IOException {
    PmemRegion data = PmemRegion.create(path, layout.dataFileLength());
    PmemRegion meta = null;
    try {
      meta = PmemRegion.create(BlockFile.metaPath(path), layout.metaFileLength());
      BlockFile file = new BlockFile(new DataMapping(data, layout.dataFileLength()), meta, path,
          new HeaderPage(BlockFileHeader.free(layout), 0), durability);
      file.writeHeader(BlockFileHeader.free(layout));
      // Mapping sets the sizes; only a sync makes them survive a power cut on every file system.
      durability.syncFile(path);
      durability.syncFile(BlockFile.metaPath(path));
      return file;
    } catch (IOException | RuntimeException e) {
      if (meta != null) {
        closeQuietly(meta, e);
        Files.deleteIfExists(BlockFile.metaPath(path));
      }
      closeQuietly(data, e);
      Files.deleteIfExists(path);
      throw e;
    }
  }

  /** @see BlockFile#open(Path, Durability) */
  static BlockFile open(Path path, Durability durability) throws IOException {
    Path metaPath = BlockFile.metaPath(path);
    if (Files.notExists(metaPath)) {
      throw new CorruptBlockFileException(path, LegacyLayout.isSingleFile(path)
          ? LegacyLayout.REFUSAL : "its meta file " + metaPath + " is missing");
    }
    PmemRegion meta = PmemRegion.open(metaPath);
    PmemRegion data = null;
    try {
      Optional<Versioned<BlockFileHeader>> newest = HeaderPage.read(meta);
      if (newest.isEmpty()) {
        throw new CorruptBlockFileException(metaPath, "no valid header slot");
      }
      BlockFileHeader header = newest.get().value();
      if (header.layout().metaFileLength() != meta.length()) {
        throw new CorruptBlockFileException(metaPath, "header describes "
            + header.layout().metaFileLength() + " bytes but the file has " + meta.length());
      }
      long dataLimit = DataFileLength.checkOnOpen(path, header);
      data = dataLimit > 0 ? PmemRegion.open(path) : null;
      return new BlockFile(new DataMapping(data, dataLimit), meta, path,
          new HeaderPage(header, newest.get().sequence()), durability);
    } catch (IOException | RuntimeException e) {
      if (data != null) {
        closeQuietly(data, e);
      }
      closeQuietly(meta, e);
      throw e;
    }
  }

  private static void closeQuietly(PmemRegion region, Exception primary) {
    try {
      region.close();
    } catch (PmemException e) {
      primary.addSuppressed(e);
    }
  }
}
