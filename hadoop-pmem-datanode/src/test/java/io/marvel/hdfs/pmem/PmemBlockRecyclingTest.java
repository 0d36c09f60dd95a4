package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.junit.jupiter.api.Test;

/**
 * A DataNode whose blocks are written, read and deleted reuses their block files: the files of
 * a replica that a client read over loopback (by sendfile, the pages lent to the socket) go back
 * to the pool once the client has read every byte, and the next replica is written into them
 * and read back with its own bytes. A short replica's file, trimmed when it was finalized, is
 * grown back and reused for a full block.
 */
class PmemBlockRecyclingTest extends PmemClusterTestBase {
  @Test
  void aReadBlocksFileIsReusedForTheNextBlock() throws Exception {
    readDeleteAndWriteAgain(newConf(), false);
  }

  @Test
  void aReadBlocksFileIsReusedAfterTheDataNodeClosedTheIdleConnection() throws Exception {
    Configuration conf = newConf();
    // The DataNode closes the connection the client keeps cached; the client never reads the
    // end of that stream, and its socket counts the FIN as an unread byte.
    conf.setInt(DFSConfigKeys.DFS_DATANODE_SOCKET_REUSE_KEEPALIVE_KEY, 100);
    readDeleteAndWriteAgain(conf, true);
  }

  @Test
  void aShortBlocksTrimmedFileIsGrownBackAndReusedForAFullBlock() throws Exception {
    Configuration conf = newConf();
    conf.setInt(PmemDatasetKeys.PREPARED_FILES_KEY, 0);
    DataNode dn = startOneDataNode(conf, StorageType.NVDIMM);
    org.apache.hadoop.fs.Path first = new org.apache.hadoop.fs.Path("/short");
    byte[] firstBytes = data(3000, 1);
    write(first, firstBytes, (short) 1);
    Path blockFile = blockFile(dn, first);
    assertEquals(3000, Files.size(blockFile), "finalized: its data file trimmed");
    Object inode = Files.getAttribute(blockFile, "unix:ino");
    assertContent(first, firstBytes);

    deleteAndWriteAFullBlockIntoItsFile(dn, first, inode, "the trimmed file",
        "the full block is written into the short one's file");
  }

  private void readDeleteAndWriteAgain(Configuration conf, boolean awaitIdleConnectionClosed)
      throws Exception {
    // No file prepared ahead: the second replica can only get the first one's file.
    conf.setInt(PmemDatasetKeys.PREPARED_FILES_KEY, 0);
    DataNode dn = startOneDataNode(conf, StorageType.NVDIMM);
    org.apache.hadoop.fs.Path first = new org.apache.hadoop.fs.Path("/first");
    byte[] firstBytes = data(BLOCK_SIZE, 1);
    write(first, firstBytes, (short) 1);
    Path blockFile = blockFile(dn, first);
    Object inode = Files.getAttribute(blockFile, "unix:ino");
    assertContent(first, firstBytes); // through the DataNode: its pages go to the socket
    if (awaitIdleConnectionClosed) {
      waitFor("the DataNode to close the idle connection", 30_000,
          () -> dn.getXceiverCount() == 0);
    }

    deleteAndWriteAFullBlockIntoItsFile(dn, first, inode, "the deleted replica's file",
        "the second block is written into the first one's file");
  }

  /**
   * Deletes {@code first}, waits until its block file (inode) is back in the pool, then writes
   * a full block and checks it went into that same file and reads back as written.
   */
  private void deleteAndWriteAFullBlockIntoItsFile(DataNode dn, org.apache.hadoop.fs.Path first,
      Object inode, String whatReturns, String reuseMessage) throws Exception {
    fs().delete(first, false);
    waitFor(whatReturns + " to be back in the pool", 30_000,
        () -> poolInodes(dn).contains(inode));

    org.apache.hadoop.fs.Path second = new org.apache.hadoop.fs.Path("/second");
    byte[] secondBytes = data(BLOCK_SIZE, 2);
    write(second, secondBytes, (short) 1);
    assertEquals(inode, Files.getAttribute(blockFile(dn, second), "unix:ino"), reuseMessage);
    assertContent(second, secondBytes);
  }

  private Path blockFile(DataNode dn, org.apache.hadoop.fs.Path file) throws IOException {
    ExtendedBlock block = fs().getClient().getLocatedBlocks(file.toString(), 0).get(0)
        .getBlock();
    Path volume = ((PmemDataset) dn.getFSDataset()).pmemVolumeDirs().get(0).toPath();
    return volume.resolve("current").resolve(block.getBlockPoolId()).resolve("pmem")
        .resolve("blk_" + block.getBlockId());
  }

  private static List<Object> poolInodes(DataNode dn) {
    Path pool = ((PmemDataset) dn.getFSDataset()).pmemVolumeDirs().get(0).toPath()
        .resolve("pmem-pool");
    List<Object> inodes = new ArrayList<>();
    try (Stream<Path> files = Files.list(pool)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        inodes.add(Files.getAttribute(file, "unix:ino"));
      }
    } catch (IOException e) {
      throw new IllegalStateException("listing " + pool, e);
    }
    return inodes;
  }
}
