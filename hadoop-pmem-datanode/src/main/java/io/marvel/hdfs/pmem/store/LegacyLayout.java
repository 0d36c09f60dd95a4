package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.PmemRegion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recognizes block files of the single-file layout of earlier versions (header page at offset
 * 0, then meta data, then data), so that they are refused by name instead of being taken for
 * the data file of a pair. Nothing migrates them: no such volume was deployed.
 */
final class LegacyLayout {
  /** Why such a file is not served, for {@link CorruptBlockFileException}. */
  static final String REFUSAL = "it has the single-file layout of an earlier version (header at"
      + " offset 0, no .meta file), which this version does not read; delete it, the NameNode"
      + " re-replicates the block from other DataNodes";

  private LegacyLayout() {
  }

  /**
   * @param path a file with no meta file next to it
   * @return true when one of its first two slots holds a valid single-file header
   * @throws IOException if the file cannot be mapped
   */
  static boolean isSingleFile(Path path) throws IOException {
    if (!Files.isRegularFile(path) || Files.size(path) < BlockFileLayout.HEADER_BYTES) {
      return false;
    }
    try (PmemRegion region = PmemRegion.open(path)) {
      byte[] slot = new byte[HeaderCodec.SLOT_BYTES];
      region.read(0, slot, 0, slot.length);
      if (HeaderCodec.isSingleFileHeader(slot)) {
        return true;
      }
      // The first slot may be the one a crash tore.
      region.read(HeaderCodec.SLOT_BYTES, slot, 0, slot.length);
      return HeaderCodec.isSingleFileHeader(slot);
    }
  }
}
