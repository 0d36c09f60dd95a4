package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.protocol.CacheDirectiveEntry;
import org.apache.hadoop.hdfs.protocol.CacheDirectiveInfo;
import org.apache.hadoop.hdfs.protocol.CacheDirectiveStats;
import org.apache.hadoop.hdfs.protocol.CachePoolInfo;
import org.apache.hadoop.hdfs.protocol.LocatedBlock;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.io.nativeio.NativeIO;
import org.apache.hadoop.io.nativeio.NativeIO.POSIX.CacheManipulator;
import org.apache.hadoop.io.nativeio.NativeIO.POSIX.NoMlockCacheManipulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HDFS cache directives ({@code hdfs cacheadmin -addDirective}) on a DataNode with a PMEM and a
 * DISK volume: PMEM replicas, mapped already, are reported cached without using locked memory;
 * DISK replicas are cached by the stock cache. The build has no libhadoop, so the stock cache's
 * mlock call is skipped with Hadoop's own {@link NoMlockCacheManipulator}; its mapping and
 * checksum verification are real.
 */
class PmemCacheDirectiveTest extends PmemClusterTestBase {
  private static final long LOCKED_MEMORY = 2L * BLOCK_SIZE;

  private CacheManipulator stockManipulator;

  @BeforeEach
  void skipMlock() {
    stockManipulator = NativeIO.POSIX.getCacheManipulator();
    NativeIO.POSIX.setCacheManipulator(new NoMlockCacheManipulator());
  }

  @AfterEach
  void restoreMlock() {
    NativeIO.POSIX.setCacheManipulator(stockManipulator);
  }

  @Test
  void directivesCachePmemReplicasAsMappedAndDiskReplicasThroughTheStockCache()
      throws Exception {
    Configuration conf = newConf();
    conf.setLong(DFSConfigKeys.DFS_DATANODE_MAX_LOCKED_MEMORY_KEY, LOCKED_MEMORY);
    conf.setLong(DFSConfigKeys.DFS_NAMENODE_PATH_BASED_CACHE_REFRESH_INTERVAL_MS, 500);
    conf.setLong(DFSConfigKeys.DFS_CACHEREPORT_INTERVAL_MSEC_KEY, 500);
    conf.setLong(DFSConfigKeys.DFS_NAMENODE_PATH_BASED_CACHE_RETRY_INTERVAL_MS, 1000);
    DataNode dn = startOneDataNode(conf, StorageType.NVDIMM, StorageType.DISK);
    PmemDataset dataset = (PmemDataset) dn.getFSDataset();
    Path onPmem = new Path("/pmem-file");
    byte[] pmemBytes = data(3 * BLOCK_SIZE + 5, 1);
    write(onPmem, pmemBytes, (short) 1);
    Path onDisk = new Path("/disk/file");
    fs().mkdirs(onDisk.getParent());
    fs().setStoragePolicy(onDisk.getParent(), "HOT");
    byte[] diskBytes = data(BLOCK_SIZE / 2, 2);
    write(onDisk, diskBytes, (short) 1);
    assertEquals(4, dataset.replicas().replicas(bpid()).size(), "PMEM replicas");
    assertEquals(LOCKED_MEMORY + pmemBytes.length, dataset.getCacheCapacity(),
        "cache capacity: locked memory plus the finalized PMEM replicas");
    assertEquals(0, dataset.getCacheUsed());

    fs().addCachePool(new CachePoolInfo("pool"));
    long pmemDirective = fs().addCacheDirective(
        new CacheDirectiveInfo.Builder().setPath(onPmem).setPool("pool").build());
    long diskDirective = fs().addCacheDirective(
        new CacheDirectiveInfo.Builder().setPath(onDisk).setPool("pool").build());
    waitFor("both directives fully cached", 60_000,
        () -> fullyCached(pmemDirective) && fullyCached(diskDirective));
    waitFor("cached hosts in the block locations", 30_000,
        () -> cachedEverywhere(onPmem, true) && cachedEverywhere(onDisk, true));

    assertEquals(List.of(diskBlockId(onDisk)), dataset.stock().getCacheReport(bpid()),
        "the stock cache holds the DISK replica, and only it");
    assertEquals(4 + 1, dataset.getNumBlocksCached(), "four PMEM blocks and one DISK block");
    assertEquals(dataset.stock().getCacheUsed() + pmemBytes.length, dataset.getCacheUsed());
    assertTrue(dataset.stock().getCacheUsed() >= diskBytes.length, "locked memory in use");
    // (The stock cache counts a repeated command for a block it is caching as a failure.)
    assertEquals(dataset.stock().getNumBlocksFailedToCache(), dataset.getNumBlocksFailedToCache(),
        "no PMEM replica failed to cache");
    assertContent(onPmem, pmemBytes);
    assertContent(onDisk, diskBytes);

    // An append changes the last replica: it stops counting as cached, and the NameNode,
    // missing it from the cache report, has it cached again once the file is closed.
    byte[] tail = data(100, 3);
    try (FSDataOutputStream out = fs().append(onPmem)) {
      out.write(tail);
    }
    byte[] appended = Arrays.copyOf(pmemBytes, pmemBytes.length + tail.length);
    System.arraycopy(tail, 0, appended, pmemBytes.length, tail.length);
    waitFor("the appended replica cached again", 60_000,
        () -> dataset.getCacheUsed() - dataset.stock().getCacheUsed() == appended.length
            && fullyCached(pmemDirective));
    assertContent(onPmem, appended);

    fs().removeCacheDirective(pmemDirective);
    waitFor("the PMEM replicas uncached", 60_000,
        () -> cachedEverywhere(onPmem, false) && dataset.getNumBlocksCached() == 1);
    assertEquals(dataset.stock().getCacheUsed(), dataset.getCacheUsed());
    assertTrue(fullyCached(diskDirective), "the DISK file stays cached");
    assertTrue(cachedEverywhere(onDisk, true), "the DISK file stays cached");
  }

  private String bpid() {
    return cluster.getNamesystem().getBlockPoolId();
  }

  private long diskBlockId(Path file) throws IOException {
    List<LocatedBlock> blocks = fs().getClient().getLocatedBlocks(file.toString(), 0)
        .getLocatedBlocks();
    assertEquals(1, blocks.size());
    return blocks.get(0).getBlock().getBlockId();
  }

  /** @return what {@code hdfs cacheadmin -listDirectives -stats} shows: all bytes cached */
  private boolean fullyCached(long directive) {
    try {
      RemoteIterator<CacheDirectiveEntry> entries = fs().listCacheDirectives(
          new CacheDirectiveInfo.Builder().setId(directive).build());
      CacheDirectiveStats stats = entries.next().getStats();
      return stats.getFilesCached() == 1 && stats.getBytesNeeded() > 0
          && stats.getBytesCached() == stats.getBytesNeeded();
    } catch (IOException e) {
      return false;
    }
  }

  /** @return whether every block of {@code file} has (or has no) cached host */
  private boolean cachedEverywhere(Path file, boolean cached) {
    try {
      for (BlockLocation location : fs().getFileBlockLocations(file, 0, Long.MAX_VALUE)) {
        if ((location.getCachedHosts().length > 0) != cached) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
