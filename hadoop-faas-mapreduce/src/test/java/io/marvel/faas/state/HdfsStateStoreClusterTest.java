package io.marvel.faas.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import io.marvel.hdfs.pmem.DataNodeRestarts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.MiniDFSCluster.DataNodeProperties;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.DataNodeTestUtils;
import org.apache.hadoop.metrics2.AbstractMetric;
import org.apache.hadoop.metrics2.impl.MetricsCollectorImpl;
import org.apache.hadoop.metrics2.impl.MetricsRecordImpl;
import org.apache.hadoop.metrics2.lib.DefaultMetricsSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The hdfs store on a MiniDFSCluster of three DataNodes with an {@code [NVDIMM]} and a
 * {@code [DISK]} volume each: where map outputs go (storage type, replicas), what readers count,
 * and that a job's state leaves every DataNode, one that was down at the time included.
 */
@Tag("integration")
class HdfsStateStoreClusterTest {
  private static final String JOB = "job_1700000000000_0005";
  private static MiniDFSCluster cluster;
  private static DistributedFileSystem fs;
  private Path scratch;

  @BeforeAll
  static void startCluster() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, Paths.get(
        System.getProperty("java.io.tmpdir"), "minidfs-" + UUID.randomUUID()).toString());
    // Deletions reach the DataNodes at their next heartbeat; keep it short.
    conf.setLong("dfs.heartbeat.interval", 1);
    conf.setInt("dfs.namenode.heartbeat.recheck-interval", 1000);
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(3).storagesPerDatanode(2)
        .storageTypes(new StorageType[] {StorageType.NVDIMM, StorageType.DISK}).build();
    cluster.waitActive();
    fs = cluster.getFileSystem();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @BeforeEach
  void createScratch() throws IOException {
    scratch = Files.createTempDirectory("hdfs-state-");
  }

  @AfterEach
  void removeScratch() throws IOException {
    Files.deleteIfExists(scratch.resolve("file.out"));
    Files.deleteIfExists(scratch);
  }

  private HdfsStateStore store(String policy, int replication) throws IOException {
    return new HdfsStateStore(new StoreLocation(StoreKind.HDFS,
        fs.makeQualified(new org.apache.hadoop.fs.Path("/state")).toString()), JOB,
        cluster.getConfiguration(0), policy, (short) replication);
  }

  /** Publishes map 0: partitions of 3000 and 5000 bytes. */
  private void publish(HdfsStateStore store) throws IOException {
    byte[] data = new byte[8000];
    Arrays.fill(data, 0, 3000, (byte) 'a');
    Arrays.fill(data, 3000, 8000, (byte) 'b');
    Path file = Files.write(scratch.resolve("file.out"), data);
    store.publishMapOutput(0, file, List.of(new PartitionRange(0, 3000, 3000),
        new PartitionRange(3000, 5000, 5000)));
  }

  private static BlockLocation[] blocks(HdfsStateStore store) throws IOException {
    FileStatus entry = fs.getFileStatus(store.entry(0));
    return fs.getFileBlockLocations(entry, 0, entry.getLen());
  }

  @Test
  void mapOutputsAreInPmemWithTheConfiguredReplication() throws IOException {
    HdfsStateStore store = store("ALL_NVDIMM", 2);
    store.prepare();
    try {
      publish(store);
      BlockLocation[] blocks = blocks(store);
      assertEquals(1, blocks.length);
      assertEquals(2, blocks[0].getHosts().length, "replication for state");
      assertEquals(List.of(StorageType.NVDIMM, StorageType.NVDIMM),
          Arrays.asList(blocks[0].getStorageTypes()));
      assertEquals(java.util.Optional.empty(), store.placementWarning(0));
    } finally {
      store.removeJob();
    }
  }

  @Test
  void readersCountWhatTheyReadFromThisHost() throws IOException {
    HdfsStateStore store = store("ALL_NVDIMM", 1);
    store.prepare();
    try {
      publish(store);
      try (MapOutputReader reader = store.openMapOutput(0)) {
        byte[] part = new byte[5000];
        reader.openPartition(1).readFully(part);
        assertEquals('b', part[4999]);
        // Every DataNode of a MiniDFSCluster listens on 127.0.0.1, an address of this host.
        assertTrue(reader.localBytesRead() >= 5000, "read " + reader.localBytesRead());
        assertEquals(0, reader.remoteBytesRead());
      }
    } finally {
      store.removeJob();
    }
  }

  @Test
  void publishingTakesFourNameNodeCallsAndTheDataNodesSyncTheEntry() throws Exception {
    // Every DataNode holds a replica: the metrics source found by a DataNode's name may be
    // another DataNode's, as all three of a MiniDFSCluster have the same name.
    HdfsStateStore store = store("ALL_NVDIMM", 3);
    store.prepare();
    try {
      // The second publish replaces the first's entry, as a retried map does.
      publish(store);
      long syncs = dataNodeSyncs();
      Map<String, Long> before = settledNameNodeCalls();
      publish(store);
      Map<String, Long> calls = new TreeMap<>(awaitCallsSince(before, Map.of("Create", 1L,
          "AddBlock", 1L, "Complete", 1L, "Rename2", 1L)));
      // The NameNode refuses a complete until a DataNode's report of the block has been
      // processed, and HDFS's client then asks again: its call, not one the store makes.
      long completes = Objects.requireNonNullElse(calls.remove("Complete"), 0L);
      assertTrue(completes == 1 || completes == 2, completes + " complete calls");
      assertEquals(Map.of("Create", 1L, "AddBlock", 1L, "Rename2", 1L), calls);
      long synced = dataNodeSyncs();
      assertTrue(synced > syncs, "the DataNodes synced the entry before publish returned: "
          + syncs + " syncs before, " + synced + " after");
    } finally {
      store.removeJob();
    }
  }

  @Test
  void openingAnEntryTakesOneNameNodeCall() throws Exception {
    HdfsStateStore store = store("ALL_NVDIMM", 1);
    store.prepare();
    try {
      publish(store);
      Map<String, Long> before = settledNameNodeCalls();
      try (MapOutputReader reader = store.openMapOutput(0)) {
        assertEquals(2, reader.partitions());
      }
      assertEquals(Map.of("GetBlockLocations", 1L),
          awaitCallsSince(before, Map.of("GetBlockLocations", 1L)));
    } finally {
      store.removeJob();
    }
  }

  @Test
  void aPolicyHdfsFellBackFromIsReportedAfterTheMapStage() throws IOException {
    // No DataNode has an SSD volume: HDFS puts the replica on DISK, its fallback for ALL_SSD,
    // as it does for ALL_NVDIMM on stock DataNodes.
    HdfsStateStore store = store("ALL_SSD", 1);
    store.prepare();
    try {
      publish(store);
      assertEquals(List.of(StorageType.DISK), Arrays.asList(blocks(store)[0].getStorageTypes()));
      String warning = store.placementWarning(0).orElseThrow();
      assertTrue(warning.startsWith("map outputs of job " + JOB + " are on DISK, not SSD as"
          + " mapreduce.faas.state.hdfs.storage-policy = ALL_SSD asks"), warning);
    } finally {
      store.removeJob();
    }
  }

  @Test
  void aJobsStateLeavesEveryDataNodeAlsoOneThatWasDownWhenTheJobEnded() throws Exception {
    HdfsStateStore store = store("ALL_NVDIMM", 3);
    store.prepare();
    publish(store);
    ExtendedBlock block = fs.getClient().getLocatedBlocks(store.entry(0).toUri().getPath(), 0)
        .get(0).getBlock();
    for (DataNode dn : cluster.getDataNodes()) {
      assertTrue(holds(dn, block), dn + " holds a replica");
    }
    DataNodeProperties down = cluster.stopDataNode(2);

    store.removeJob();

    assertFalse(fs.exists(store.entry(0)));
    for (DataNode dn : cluster.getDataNodes()) {
      awaitGone(dn, block);
    }
    assertEquals(1, replicaFiles(block), "the replica of the DataNode that was down is left");
    DataNodeRestarts.restartKeepingPorts(cluster, down);
    // It re-registers and reports its blocks; the NameNode has it delete what no file owns.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (replicaFiles(block) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(0, replicaFiles(block), "the returned DataNode deleted it");
  }

  /** The NameNode calls a state store makes, by the NameNode's name for each. */
  private static final List<String> STORE_CALLS = List.of("GetFileInfo", "Mkdirs", "Create",
      "AddBlock", "Fsync", "Complete", "Delete", "Rename", "Rename2", "GetBlockLocations");

  /** @return how often the NameNode served each of {@link #STORE_CALLS}, from its RPC metrics */
  private static Map<String, Long> nameNodeCalls() {
    Map<String, Long> calls = new TreeMap<>();
    for (AbstractMetric metric : metrics("RpcDetailedActivityForPort"
        + cluster.getNameNodePort())) {
      String name = metric.name();
      if (name.endsWith("NumOps")
          && STORE_CALLS.contains(name.substring(0, name.length() - "NumOps".length()))) {
        calls.put(name.substring(0, name.length() - "NumOps".length()),
            metric.value().longValue());
      }
    }
    return calls;
  }

  /**
   * @return the NameNode's call counts once earlier calls are all counted: a handler counts a
   *     call after it sent the answer, so the client may go on before the count moves
   */
  private static Map<String, Long> settledNameNodeCalls() throws InterruptedException {
    Map<String, Long> last = nameNodeCalls();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Thread.sleep(300);
      Map<String, Long> now = nameNodeCalls();
      if (now.equals(last)) {
        return now;
      }
      last = now;
    }
    throw new AssertionError("the NameNode's call counts did not settle: " + last);
  }

  /**
   * @return the calls made since {@code before}, once they are {@code expected} and stay so
   *     for a moment (late counts of other calls would show), or as they are after 10 s
   */
  private static Map<String, Long> awaitCallsSince(Map<String, Long> before,
      Map<String, Long> expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Map<String, Long> calls = callsSince(before);
    while (!calls.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      calls = callsSince(before);
    }
    Thread.sleep(300);
    return callsSince(before);
  }

  /** @return the calls made since {@code before} was taken, those made at all */
  private static Map<String, Long> callsSince(Map<String, Long> before) {
    Map<String, Long> since = new TreeMap<>();
    nameNodeCalls().forEach((call, count) -> {
      long made = count - before.getOrDefault(call, 0L);
      if (made != 0) {
        since.put(call, made);
      }
    });
    return since;
  }

  /** @return the syncs of block data to storage all DataNodes made (hsync, SYNC_BLOCK) */
  private static long dataNodeSyncs() {
    long syncs = 0;
    for (DataNode dn : cluster.getDataNodes()) {
      for (AbstractMetric metric : metrics(dn.getMetrics().name())) {
        syncs += metric.name().equals("FsyncCount") ? metric.value().longValue() : 0;
      }
    }
    return syncs;
  }

  private static List<AbstractMetric> metrics(String source) {
    MetricsCollectorImpl collector = new MetricsCollectorImpl();
    DefaultMetricsSystem.instance().getSource(source).getMetrics(collector, true);
    List<AbstractMetric> metrics = new ArrayList<>();
    for (MetricsRecordImpl record : collector.getRecords()) {
      record.metrics().forEach(metrics::add);
    }
    return metrics;
  }

  /** @return the block files of a block in every DataNode's volumes, running or not */
  private static long replicaFiles(ExtendedBlock block) throws IOException {
    try (Stream<Path> files = Files.walk(Paths.get(cluster.getDataDirectory()))) {
      return files.filter(f -> f.getFileName().toString().equals("blk_" + block.getBlockId()))
          .count();
    }
  }

  private static boolean holds(DataNode dn, ExtendedBlock block) throws IOException {
    return dn.getFSDataset().getStoredBlock(block.getBlockPoolId(), block.getBlockId()) != null;
  }

  private static void awaitGone(DataNode dn, ExtendedBlock block) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (holds(dn, block) && System.nanoTime() < deadline) {
      DataNodeTestUtils.triggerHeartbeat(dn);
      Thread.sleep(100);
    }
    assertFalse(holds(dn, block), dn + " still holds " + block + " of the removed job");
  }
}
