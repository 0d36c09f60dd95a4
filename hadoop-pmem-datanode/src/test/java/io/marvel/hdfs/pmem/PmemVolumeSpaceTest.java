package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.test.GenericTestUtils.LogCapturer;
import org.apache.hadoop.util.DiskChecker.DiskOutOfSpaceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * PMEM volumes on small file systems (tmpfs mounts of a few MiB, which needs root): a full
 * volume sends writes to the next one or fails with a clear error; a volume smaller than one
 * block file is refused at start, as a failed volume.
 */
class PmemVolumeSpaceTest extends PmemClusterTestBase {
  /** Room for three 1 MiB block files (each 1 MiB + 12 KiB of header and checksums). */
  private static final String THREE_FILES = "3300k";

  private final List<Path> mounts = new ArrayList<>();

  @AfterEach
  void unmount() throws Exception {
    if (cluster != null) {
      cluster.shutdown(true);
      cluster = null;
    }
    for (Path mount : mounts) {
      run("umount", mount.toString());
    }
  }

  @Test
  void fullVolumeSendsWritesToTheNextVolume() throws Exception {
    Path small = mountTmpfs("small", THREE_FILES);
    Path large = Files.createDirectories(baseDir.resolve("large"));
    startWithDirs(newConf(), "[NVDIMM]" + small.toUri() + ",[NVDIMM]" + large.toUri());
    byte[] bytes = data(8 * BLOCK_SIZE, 8);
    write(new org.apache.hadoop.fs.Path("/eight"), bytes, (short) 1);
    assertContent(new org.apache.hadoop.fs.Path("/eight"), bytes);
    assertEquals(3, blockFiles(small), "replicas on the full volume");
    assertEquals(5, blockFiles(large), "replicas on the other volume");
  }

  @Test
  void fullVolumeWithoutAnotherFailsWithAClearError() throws Exception {
    Path small = mountTmpfs("small", THREE_FILES);
    DataNode dn = startWithDirs(newConf(), "[NVDIMM]" + small.toUri());
    write(new org.apache.hadoop.fs.Path("/three"), data(3 * BLOCK_SIZE, 3), (short) 1);
    ExtendedBlock next = new ExtendedBlock(cluster.getNamesystem().getBlockPoolId(), 4242L, 0,
        1001);
    DiskOutOfSpaceException e = assertThrows(DiskOutOfSpaceException.class,
        () -> dn.getFSDataset().createRbw(StorageType.NVDIMM, null, next, false));
    assertTrue(e.getMessage().startsWith("No PMEM volume can take block " + next
        + ": PMEM volume " + small + " has no room for another 1064960-byte block file"),
        e.getMessage());
    assertThrows(IOException.class, () -> write(new org.apache.hadoop.fs.Path("/fourth"),
        data(BLOCK_SIZE, 4), (short) 1));
  }

  @Test
  void volumeSmallerThanOneBlockFileIsRefused() throws Exception {
    Path tiny = mountTmpfs("tiny", "512k");
    Path disk = Files.createDirectories(baseDir.resolve("disk"));
    Configuration conf = newConf();
    conf.setInt(DFSConfigKeys.DFS_DATANODE_FAILED_VOLUMES_TOLERATED_KEY, 1);
    LogCapturer logs = LogCapturer.captureLogs(org.apache.log4j.Logger.getRootLogger());
    try {
      DataNode dn = startWithDirs(conf, "[NVDIMM]" + tiny.toUri() + ",[DISK]" + disk.toUri());
      assertEquals(1, dn.getFSDataset().getNumFailedVolumes());
      assertTrue(logs.getOutput().contains("[NVDIMM] volume " + tiny + " cannot be used: its "
          + "file system holds 524288 bytes, less than one PMEM block file of 1064960 bytes; use"
          + " a larger PMEM device or lower dfs.datanode.pmem.block-capacity"), logs.getOutput());
    } finally {
      logs.stopCapturing();
    }
  }

  private DataNode startWithDirs(Configuration conf, String dirs) throws IOException {
    conf.set(DFSConfigKeys.DFS_DATANODE_DATA_DIR_KEY, dirs);
    conf.setInt(PmemDatasetKeys.PREPARED_FILES_KEY, 0);
    cluster = new MiniDFSCluster.Builder(conf, baseDir.toFile())
        .numDataNodes(1)
        .manageDataDfsDirs(false)
        .build();
    cluster.waitActive();
    fs().setStoragePolicy(new org.apache.hadoop.fs.Path("/"), "ALL_NVDIMM");
    return cluster.getDataNodes().get(0);
  }

  private Path mountTmpfs(String name, String size) throws Exception {
    Path dir = Files.createDirectories(baseDir.resolve(name));
    String output = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
    String why = "mounting a " + size + " tmpfs needs root: " + output;
    if (output != null) {
      // Surefire lists a skipped test without its reason; say it where the build log shows it.
      System.err.println("SKIPPED " + getClass().getSimpleName() + ": " + why);
    }
    Assumptions.assumeTrue(output == null, why);
    mounts.add(dir);
    return dir;
  }

  /** @return null on success, else the command's output */
  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return process.waitFor() == 0 ? null : output;
  }

  private static long blockFiles(Path volume) throws IOException {
    try (Stream<Path> files = Files.walk(volume)) {
      return files.filter(p -> p.getFileName().toString().startsWith("blk_")
          && !p.getFileName().toString().endsWith(".meta")
          && p.getParent().getFileName().toString().equals("pmem")).count();
    }
  }
}
