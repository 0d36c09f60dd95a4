package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.BlockFile;
import io.marvel.hdfs.pmem.store.BlockFileHeader;
import io.marvel.hdfs.pmem.store.BlockFileLayout;
import io.marvel.hdfs.pmem.store.BlockFilePool;
import io.marvel.hdfs.pmem.store.BlockFileState;
import io.marvel.hdfs.pmem.store.Durability;
import io.marvel.hdfs.pmem.store.PmemReplica;
import io.marvel.hdfs.pmem.store.VolumeScan;
import io.marvel.pmem.PmemNoSpaceException;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;
import org.apache.hadoop.util.DiskChecker.DiskOutOfSpaceException;

/**
 * An {@code [NVDIMM]} volume whose replicas are PMEM block files. The stock volume object stays
 * the volume HDFS knows (storage id, capacity, health checks, failure handling); this class adds
 * the block file pairs under {@code <volume>/current/<block pool>/pmem/} and a pool of prepared
 * pairs under {@code <volume>/pmem-pool/}. Open it with {@link PmemVolumeProbe#open}. Thread-safe.
 */
final class PmemVolume implements Closeable {
  private static final String BLOCK_DIR = "pmem";
  private static final String POOL_DIR = "pmem-pool";

  private final FsVolumeImpl volume;
  private final Path root;
  private final BlockFilePool pool;
  private final BlockFileLayout layout;
  private final Durability durability;

  PmemVolume(FsVolumeImpl volume, PmemSettings settings, Durability durability) {
    this.volume = volume;
    this.root = new File(volume.getBaseURI()).toPath();
    this.layout = settings.layout();
    this.durability = durability;
    this.pool = new BlockFilePool(root.resolve(POOL_DIR), layout, settings.preparedFiles(),
        durability);
  }

  void start() throws IOException {
    pool.start();
  }

  /** @return the stock volume */
  FsVolumeImpl volume() {
    return volume;
  }

  /** @return the storage id HDFS knows the volume by */
  String storageId() {
    return volume.getStorageID();
  }

  /** @return the volume's directory */
  Path root() {
    return root;
  }

  /** @return bytes one block file pair (data and meta file) occupies */
  long fileLength() {
    return layout.bytesOnVolume();
  }

  private Path blockPoolDir(String bpid) {
    return root.resolve("current").resolve(bpid).resolve(BLOCK_DIR);
  }

  /**
   * Loads the replicas a previous run left for a block pool.
   *
   * @throws IOException if the directory cannot be created or scanned
   */
  List<PmemReplica> loadBlockPool(String bpid) throws IOException {
    Path dir = blockPoolDir(bpid);
    durability.createDirectories(dir);
    return VolumeScan.scan(dir, volume, pool);
  }

  /** Deletes the PMEM files of a block pool; the replicas must be closed. */
  void deleteBlockPool(String bpid) throws IOException {
    FileUtil.fullyDelete(blockPoolDir(bpid).toFile());
  }

  /**
   * Creates a replica: takes a block file, durably named {@code blk_<id>} in the block pool's
   * directory, and only then durably writes its header, so a power cut never leaves a replica
   * under a pool name.
   *
   * @param state TEMPORARY or RBW
   * @throws DiskOutOfSpaceException if the volume has no room for a block file
   * @throws IOException if the file cannot be created or written
   */
  PmemReplica createReplica(String bpid, long blockId, long stamp, ReplicaState state)
      throws IOException {
    Path path = blockPoolDir(bpid).resolve(VolumeScan.fileName(blockId));
    BlockFile.deleteFiles(path);
    BlockFile file = takeFile(path);
    try {
      BlockFileState fileState = state == ReplicaState.TEMPORARY
          ? BlockFileState.TEMPORARY : BlockFileState.RBW;
      file.writeHeader(new BlockFileHeader(fileState, blockId, stamp, 0, layout));
    } catch (IOException | RuntimeException e) {
      file.delete();
      throw e;
    }
    return new PmemReplica(blockId, stamp, state, 0, volume, file);
  }

  private BlockFile takeFile(Path path) throws IOException {
    try {
      return pool.take(path);
    } catch (PmemNoSpaceException full) {
      // Prepared files must never keep a replica out: give their space back and try once more.
      pool.drainReady();
      try {
        return pool.take(path);
      } catch (PmemNoSpaceException stillFull) {
        throw new DiskOutOfSpaceException("PMEM volume " + root + " has no room for another "
            + layout.bytesOnVolume() + "-byte block file pair: " + stillFull.getMessage());
      }
    }
  }

  /** @return bytes held by prepared block files */
  long preparedBytes() {
    return (long) pool.readyCount() * layout.bytesOnVolume();
  }

  /** Notes a read of one of this volume's replicas: preparing files waits for quiet. */
  void noteRead() {
    pool.noteActivity();
  }

  /** Gives the file of a deleted replica back to the pool (or deletes it). */
  void release(PmemReplica replica) throws IOException {
    pool.recycle(replica.file());
  }

  @Override
  public void close() throws IOException {
    pool.close();
  }

  @Override
  public String toString() {
    return "PMEM volume " + root + " (" + volume.getStorageID() + ")";
  }
}
