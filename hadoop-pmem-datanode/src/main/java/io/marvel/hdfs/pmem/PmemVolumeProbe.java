package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.Durability;
import io.marvel.pmem.Pmem;
import io.marvel.pmem.PmemRegion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;
import org.apache.hadoop.util.DiskChecker.DiskErrorException;

/**
 * Checks that an {@code [NVDIMM]} directory can hold PMEM block files before it is put in
 * service: libpmem loads, the directory is writable, it is larger than one block file, and a
 * file there can be mapped and persisted. Each failure names the volume, the problem and the fix.
 */
final class PmemVolumeProbe {
  private static final String PROBE_FILE = ".pmem-probe";

  private PmemVolumeProbe() {
  }

  /**
   * Probes the volume and opens it.
   *
   * @param volume the stock [NVDIMM] volume
   * @param settings the PMEM settings
   * @param durability how the volume's file system changes are made durable
   * @return the started PMEM volume
   * @throws DiskErrorException if the volume cannot serve PMEM replicas, saying why
   */
  static PmemVolume open(FsVolumeImpl volume, PmemSettings settings, Durability durability)
      throws DiskErrorException {
    PmemVolume pmem = new PmemVolume(volume, settings, durability);
    Path root = pmem.root();
    String name = "[NVDIMM] volume " + root;
    if (!Pmem.isAvailable()) {
      throw new DiskErrorException(name + " cannot be used: "
          + Pmem.unavailabilityCause().getMessage());
    }
    if (!Files.isDirectory(root) || !Files.isWritable(root)) {
      throw new DiskErrorException(name + " cannot be used: the directory is missing or not "
          + "writable by the DataNode user; create it and give that user write access");
    }
    try {
      long size = Files.getFileStore(root).getTotalSpace();
      if (size < pmem.fileLength()) {
        throw new DiskErrorException(name + " cannot be used: its file system holds " + size
            + " bytes, less than one PMEM block file of " + pmem.fileLength() + " bytes; use a "
            + "larger PMEM device or lower " + PmemDatasetKeys.BLOCK_CAPACITY_KEY
            + " (default dfs.blocksize)");
      }
    } catch (IOException e) {
      throw new DiskErrorException(name + " cannot be used: its size cannot be read: "
          + e.getMessage(), e);
    }
    probeMapping(root, name);
    try {
      pmem.start();
    } catch (IOException e) {
      throw new DiskErrorException(name + " cannot be used: starting its block file pool failed: "
          + e.getMessage(), e);
    }
    return pmem;
  }

  private static void probeMapping(Path root, String name) throws DiskErrorException {
    Path probe = root.resolve(PROBE_FILE);
    try {
      Files.deleteIfExists(probe);
      try (PmemRegion region = PmemRegion.create(probe, 4096)) {
        byte[] marker = {1, 2, 3, 4};
        region.writeDurable(0, marker, 0, marker.length);
      } finally {
        Files.deleteIfExists(probe);
      }
    } catch (IOException | RuntimeException e) {
      throw new DiskErrorException(name + " cannot be used: mapping a file there with libpmem "
          + "failed (" + e.getMessage() + "); put [NVDIMM] dirs on a DAX-mounted PMEM file "
          + "system (mount -o dax) or, for testing, on tmpfs such as /dev/shm", e);
    }
  }
}
