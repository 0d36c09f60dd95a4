package io.marvel.hdfs.pmem.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the replicas of one block pool on one volume from the block files a previous run
 * left, as the DataNode starts: finalized files come back finalized; files being written come
 * back at their last durable length (the checksum of their last partial chunk made to match
 * it), waiting to be recovered (RWR) by the NameNode, or still being written (RBW) when the
 * DataNode stopped for a quick restart and is back before the deadline it recorded; temporary
 * and free files go back to the pool; unreadable files (and files of the single-file layout of
 * earlier versions) are renamed with a {@code .corrupt} suffix and left for the operator;
 * halves of a pair that a crash split are deleted.
 */
public final class VolumeScan {
  private static final Logger LOG = LoggerFactory.getLogger(VolumeScan.class);
  /** Prefix of the file name of a replica's block file; the block id follows. */
  public static final String BLOCK_PREFIX = "blk_";
  /** Suffix given to block files whose header is unreadable. */
  public static final String CORRUPT_SUFFIX = ".corrupt";
  /** Suffix of the side file holding the restart deadline of a replica being written. */
  static final String RESTART_SUFFIX = ".restart";

  private VolumeScan() {
  }

  /** @return the side file with the restart deadline of the replica in {@code blockFile} */
  static Path restartFile(Path blockFile) {
    return blockFile.resolveSibling(blockFile.getFileName() + RESTART_SUFFIX);
  }

  /** @return the block file name of {@code blockId} */
  public static String fileName(long blockId) {
    return BLOCK_PREFIX + blockId;
  }

  /**
   * Scans {@code dir}.
   *
   * @param dir the block pool's PMEM directory on the volume
   * @param volume the volume, recorded in each replica
   * @param pool where temporary and free files go
   * @return the replicas found, their files open
   * @throws IOException if the directory cannot be listed or a file cannot be mapped
   */
  public static List<PmemReplica> scan(Path dir, FsVolumeSpi volume, BlockFilePool pool)
      throws IOException {
    List<PmemReplica> replicas = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, BLOCK_PREFIX + "*")) {
      for (Path path : files) {
        String name = path.getFileName().toString();
        if (name.endsWith(RESTART_SUFFIX)) {
          deleteIfOrphan(path);
        } else if (name.endsWith(BlockFile.META_SUFFIX)) {
          deleteIfLoneMeta(path);
        } else if (!name.endsWith(CORRUPT_SUFFIX) && !deletedAsLoneData(path)) {
          PmemReplica replica = load(path, volume, pool);
          if (replica != null) {
            replicas.add(replica);
          }
        }
      }
    }
    LOG.info("Found {} PMEM replicas in {}", replicas.size(), dir);
    return replicas;
  }

  /** Deletes a restart side file whose block file is gone (its replica was deleted). */
  private static void deleteIfOrphan(Path sidecar) throws IOException {
    String name = sidecar.getFileName().toString();
    Path blockFile = sidecar.resolveSibling(name.substring(0,
        name.length() - RESTART_SUFFIX.length()));
    if (!Files.exists(blockFile)) {
      Files.deleteIfExists(sidecar);
    }
  }

  /**
   * Deletes a meta file whose data file is gone. Pairs are renamed only while free and deleted
   * meta file first, so this is what a crash between the two renames or two deletes leaves.
   */
  private static void deleteIfLoneMeta(Path metaFile) throws IOException {
    String name = metaFile.getFileName().toString();
    Path dataFile = metaFile.resolveSibling(name.substring(0,
        name.length() - BlockFile.META_SUFFIX.length()));
    if (!Files.exists(dataFile)) {
      LOG.info("Deleting {}: a meta file without its data file, left by a crash", metaFile);
      Files.deleteIfExists(metaFile);
    }
  }

  /**
   * Deletes a data file without meta file, which a crash while its pair was created, renamed
   * or deleted leaves; it holds no header, so no replica. A file of the single-file layout of
   * earlier versions is kept: opening it reports it by name.
   */
  private static boolean deletedAsLoneData(Path dataFile) throws IOException {
    if (Files.exists(BlockFile.metaPath(dataFile)) || LegacyLayout.isSingleFile(dataFile)) {
      return false;
    }
    LOG.info("Deleting {}: a data file without its meta file, left by a crash", dataFile);
    Files.deleteIfExists(dataFile);
    return true;
  }

  /**
   * Whether the DataNode stopped for a quick restart while this replica was being written and
   * came back before the deadline it recorded; the side file is consumed either way.
   */
  private static boolean restartedInTime(Path blockFile) throws IOException {
    Path sidecar = restartFile(blockFile);
    if (!Files.exists(sidecar)) {
      return false;
    }
    String deadline = Files.readString(sidecar, StandardCharsets.UTF_8).trim();
    Files.delete(sidecar);
    try {
      return System.currentTimeMillis() <= Long.parseLong(deadline);
    } catch (NumberFormatException e) {
      LOG.warn("Ignoring restart deadline '{}' of {}: not a number", deadline, blockFile);
      return false;
    }
  }

  private static void repairLastChunkChecksum(PmemReplica replica, Path path) {
    try {
      if (replica.repairLastChunkChecksum()) {
        LOG.info("Rewrote the checksum of the last partial chunk of {} at length {}: a crash came"
            + " between its rewrite and the new length", path, replica.getBytesOnDisk());
      }
    } catch (IOException e) {
      // Its reads fail their checksums and the NameNode's recovery replaces it: still served.
      LOG.warn("Cannot check the last partial chunk's checksum of {}", path, e);
    }
  }

  private static PmemReplica load(Path path, FsVolumeSpi volume, BlockFilePool pool)
      throws IOException {
    // A finalized replica's data file longer than its length is the trace of a crash in a
    // truncate, whose new last chunk's checksum may not have been written yet.
    long lengthOnDisk = Files.exists(path) ? Files.size(path) : -1;
    BlockFile file;
    try {
      file = BlockFile.open(path, pool.durability());
    } catch (CorruptBlockFileException e) {
      Path aside = path.resolveSibling(path.getFileName() + CORRUPT_SUFFIX);
      LOG.warn("{}; moved to {} and not served", e.getMessage(), aside);
      Files.move(path, aside);
      Path meta = BlockFile.metaPath(path);
      if (Files.exists(meta)) {
        Files.move(meta, meta.resolveSibling(meta.getFileName() + CORRUPT_SUFFIX));
      }
      return null;
    }
    BlockFileHeader header = file.header();
    String expected = fileName(header.blockId());
    if (!path.getFileName().toString().equals(expected)) {
      if (header.state() == BlockFileState.FREE) {
        pool.recycle(file);
        return null;
      }
      file.close();
      throw new CorruptBlockFileException(path, "header names block " + header.blockId());
    }
    return switch (header.state()) {
      case FINALIZED -> {
        PmemReplica replica = new PmemReplica(header.blockId(), header.generationStamp(),
            ReplicaState.FINALIZED, header.dataLength(), volume, file);
        if (lengthOnDisk > header.dataLength()) {
          repairLastChunkChecksum(replica, path);
        }
        yield replica;
      }
      case RBW -> {
        PmemReplica replica = new PmemReplica(header.blockId(), header.generationStamp(),
            restartedInTime(path) ? ReplicaState.RBW : ReplicaState.RWR, header.dataLength(),
            volume, file);
        repairLastChunkChecksum(replica, path);
        yield replica;
      }
      case TEMPORARY, FREE -> {
        LOG.debug("Recycling {} left {}", path, header.state());
        pool.recycle(file);
        yield null;
      }
    };
  }
}
