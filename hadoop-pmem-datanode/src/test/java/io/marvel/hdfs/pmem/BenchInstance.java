package io.marvel.hdfs.pmem;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import io.marvel.hdfs.pmem.store.PipelineEvents;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.client.HdfsDataOutputStream;
import org.apache.hadoop.hdfs.protocol.HdfsConstants.DatanodeReportType;
import org.apache.hadoop.hdfs.protocol.LocatedBlock;

/**
 * One running set-up of {@link DataNodeBench}: a NameNode (MiniDFSCluster) in this JVM and one
 * real DataNode JVM, kept up for every run so that runs of different set-ups can interleave.
 * The DataNode's core-site.xml sets {@code io.file.buffer.size} (or leaves Hadoop's 4 KiB
 * default), which the block sender reads once per JVM. Not thread-safe.
 */
final class BenchInstance implements AutoCloseable {
  static final int BLOCK_SIZE = 128 << 20;
  private static final int BUFFER = 1 << 20;
  private static final int RECORD = 4096;
  private static final int READS = 3;
  private static final String DN_SAFEPOINTS = "dn-safepoints.log";

  private final MiniDFSCluster cluster;
  private final ChildDataNode datanode;
  private final Path base;
  private final DistributedFileSystem fs;
  private final byte[] buffer = new byte[BUFFER];

  private BenchInstance(MiniDFSCluster cluster, ChildDataNode datanode, Path base)
      throws IOException {
    this.cluster = cluster;
    this.datanode = datanode;
    this.base = base;
    this.fs = cluster.getFileSystem();
    new Random(1).nextBytes(buffer);
  }

  /**
   * Starts a NameNode and a DataNode whose one data dir is under {@code root}.
   *
   * @param tag the data dir's storage type tag, {@code [DISK]} or {@code [NVDIMM]}
   * @param pmem whether the DataNode uses the PMEM dataset (and files get ALL_NVDIMM)
   * @param ioBufferBytes the DataNode's io.file.buffer.size, or 0 for Hadoop's default
   * @param preparedFiles dfs.datanode.pmem.prepared-files for a PMEM DataNode
   */
  static BenchInstance start(Path root, String tag, boolean pmem, int ioBufferBytes,
      int preparedFiles) throws IOException, InterruptedException {
    Files.createDirectories(root);
    Path base = Files.createTempDirectory(root, "marvel-bench-");
    Configuration conf = new HdfsConfiguration();
    conf.setLong(DFSConfigKeys.DFS_BLOCK_SIZE_KEY, BLOCK_SIZE);
    conf.setInt(DFSConfigKeys.DFS_HEARTBEAT_INTERVAL_KEY, 1);
    conf.set(DFSConfigKeys.DFS_DATANODE_ADDRESS_KEY, "127.0.0.1:0");
    conf.set(DFSConfigKeys.DFS_DATANODE_HTTP_ADDRESS_KEY, "127.0.0.1:0");
    conf.set(DFSConfigKeys.DFS_DATANODE_IPC_ADDRESS_KEY, "127.0.0.1:0");
    if (pmem) {
      PmemDatasetFactory.setFactory(conf);
      conf.setInt(PmemDatasetKeys.PREPARED_FILES_KEY, preparedFiles);
    }
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, base.resolve("nn").toFile())
        .numDataNodes(0).build();
    ChildDataNode datanode = null;
    try {
      cluster.waitActive();
      Path dataDir = Files.createDirectories(base.resolve("dn"));
      Path dnConf = ChildDataNode.writeConf(conf, cluster.getURI().toString(),
          tag + dataDir.toUri(), base.resolve("dn-site.xml"));
      Path events = Files.createDirectories(base.resolve("events"));
      datanode = ChildDataNode.start(dnConf, base.resolve("dn.log"), "1g",
          writeCoreSite(base, ioBufferBytes), BenchDataNodeProcess.class.getName(),
          List.of("-D" + BenchDataNodeProcess.EVENTS_DIR + "=" + events,
              "-Xlog:safepoint=info:file=" + base.resolve(DN_SAFEPOINTS) + ":tn"), Map.of());
      BenchInstance instance = new BenchInstance(cluster, datanode, base);
      instance.awaitDataNode();
      instance.fs.setStoragePolicy(new org.apache.hadoop.fs.Path("/"),
          pmem ? "ALL_NVDIMM" : "HOT");
      return instance;
    } catch (IOException | RuntimeException e) {
      printLog(base);
      if (datanode != null) {
        datanode.close();
      }
      cluster.shutdown(true);
      FileUtil.fullyDelete(base.toFile());
      throw e;
    }
  }

  private static Path writeCoreSite(Path base, int ioBufferBytes) throws IOException {
    Path dir = Files.createDirectories(base.resolve("etc"));
    Configuration site = new Configuration(false);
    if (ioBufferBytes > 0) {
      site.setInt("io.file.buffer.size", ioBufferBytes);
    }
    try (OutputStream out = Files.newOutputStream(dir.resolve("core-site.xml"))) {
      site.writeXml(out);
    }
    return dir;
  }

  private void awaitDataNode() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    // Registered is not enough: the NameNode places blocks once it has the storage reports.
    while (fs.getDataNodeStats(DatanodeReportType.LIVE).length != 1
        || fs.getDataNodeStats(DatanodeReportType.LIVE)[0].getRemaining() < 4L * BLOCK_SIZE) {
      if (!datanode.isAlive() || System.nanoTime() > deadline) {
        throw new IOException("the DataNode did not register; see its dn.log");
      }
      Thread.sleep(100);
    }
  }

  /** @return the DataNode process's id, for profilers */
  long pid() {
    return datanode.pid();
  }

  /** @return the DataNode's CPU seconds so far */
  double cpuSeconds() throws IOException {
    return datanode.cpuSeconds();
  }

  /** @return CPU seconds so far of the PMEM block pools' preparer threads (0 for stock) */
  double preparerCpuSeconds() throws IOException {
    return datanode.threadCpuSeconds("pmem-block-pool");
  }

  /**
   * Waits until the DataNode has been idle (under 5% of a core) for two seconds, so that what
   * it does in the background (a PMEM pool preparing block files, stock deletes) neither
   * overlaps the next measurement nor goes uncounted; up to 5 minutes.
   *
   * @return CPU seconds the DataNode spent meanwhile
   */
  double awaitIdle() throws IOException, InterruptedException {
    double start = datanode.cpuSeconds();
    double last = start;
    int quietPolls = 0;
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (quietPolls < 4 && System.nanoTime() < deadline) {
      Thread.sleep(500);
      double now = datanode.cpuSeconds();
      quietPolls = now - last < 0.025 ? quietPolls + 1 : 0;
      last = now;
    }
    return last - start;
  }

  /** @return seconds to write {@code bytes} to {@code name} (replication 1) */
  double write(String name, long bytes) throws IOException {
    long start = System.nanoTime();
    try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(name), (short) 1)) {
      for (long done = 0; done < bytes; done += buffer.length) {
        out.write(buffer, 0, (int) Math.min(buffer.length, bytes - done));
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Reads the file {@value #READS} times: single reads on a 2-core machine vary by a third from
   * one to the next, so the median stands for the run.
   *
   * @return the median read time in seconds
   */
  double medianRead(String name) throws IOException {
    double[] seconds = new double[READS];
    for (int i = 0; i < READS; i++) {
      seconds[i] = read(name);
    }
    Arrays.sort(seconds);
    return seconds[READS / 2];
  }

  /** @return seconds to read the file once */
  double read(String name) throws IOException {
    long start = System.nanoTime();
    try (FSDataInputStream in = fs.open(new org.apache.hadoop.fs.Path(name))) {
      while (in.read(buffer, 0, buffer.length) >= 0) {
        // Reading is the measurement; the bytes are not needed.
        continue;
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** What a run of hsyncs measured. */
  record Hsyncs(long[] sortedNanos, String tail) {
  }

  /**
   * Writes {@code count} times 4 KiB, each followed by hsync, and times each from the write to
   * hsync's return.
   *
   * @param clientPauses the safepoint log of this JVM (the client's), which may not exist
   * @return the latencies, sorted, and where the slowest 1% spent their time
   *     ({@link HsyncTail})
   */
  Hsyncs hsyncLatencies(String name, int count, Path clientPauses)
      throws IOException, InterruptedException {
    long[] starts = new long[count];
    long[] latencies = new long[count];
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(name);
    Path events = base.resolve("events");
    PipelineEvents.ask(events);
    String pid = Long.toString(datanode.pid());
    ThreadTimes dnBefore = ThreadTimes.of(pid);
    ThreadTimes clientBefore = ThreadTimes.of("self");
    long loopStart = System.nanoTime();
    try (FSDataOutputStream out = fs.create(file, (short) 1)) {
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        out.write(buffer, (i * RECORD) % (buffer.length - RECORD), RECORD);
        ((HdfsDataOutputStream) out).hsync();
        starts[i] = start;
        latencies[i] = System.nanoTime() - start;
      }
    }
    long loop = System.nanoTime() - loopStart;
    String threads = String.format(Locale.ROOT, "; p99 of the run's first and second half: %.0f"
        + " and %.0f us; during the %.0f ms of hsyncs, CPU/run-queue wait ms of the DataNode's"
        + " threads: %s; of the client JVM's: %s", p99(latencies, 0, count / 2) / 1e3,
        p99(latencies, count / 2, count) / 1e3, loop / 1e6,
        ThreadTimes.of(pid).since(dnBefore, 4), ThreadTimes.of("self").since(clientBefore, 3));
    fs.delete(file, false);
    String tail = HsyncTail.describe(starts, latencies, PipelineEvents.read(events),
        HsyncTail.pauses(base.resolve(DN_SAFEPOINTS)), HsyncTail.pauses(clientPauses))
        + threads;
    Arrays.sort(latencies);
    return new Hsyncs(latencies, tail);
  }

  private static long p99(long[] latencies, int from, int to) {
    long[] part = Arrays.copyOfRange(latencies, from, to);
    Arrays.sort(part);
    return part[Math.min(part.length - 1, (int) Math.floor(0.99 * part.length))];
  }

  void delete(String name) throws IOException {
    fs.delete(new org.apache.hadoop.fs.Path(name), false);
  }

  /**
   * Deletes the file and waits until the DataNode has deleted its replicas (their files are
   * gone from its data dir, whatever the layout), up to a minute: the NameNode sends the
   * deletes seconds later, and what the DataNode does then belongs to this run.
   */
  void deleteAndAwaitReplicas(String name) throws IOException, InterruptedException {
    List<String> names = new ArrayList<>();
    for (LocatedBlock block : fs.getClient().getLocatedBlocks(name, 0).getLocatedBlocks()) {
      names.add("blk_" + block.getBlock().getBlockId());
    }
    delete(name);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (anyReplicaFile(names)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the DataNode kept replicas of " + name + " for a minute");
      }
      Thread.sleep(100);
    }
  }

  private boolean anyReplicaFile(List<String> names) throws IOException {
    try (Stream<Path> files = Files.walk(base.resolve("dn"))) {
      return files.map(file -> file.getFileName().toString())
          .anyMatch(file -> names.stream().anyMatch(
              n -> file.equals(n) || file.startsWith(n + "_") || file.startsWith(n + ".")));
    } catch (UncheckedIOException e) {
      // A file deleted while the walk went by: look again.
      return true;
    }
  }

  /**
   * Stops the set-up and deletes its files, keeping the DataNode's log as {@code keptLog} (in
   * the module's target dir: /dev/shm is memory), so that a run's figures can be explained
   * after the benchmark.
   */
  void close(Path keptLog) throws InterruptedException {
    try {
      datanode.stop();
      datanode.close();
    } finally {
      cluster.shutdown(true);
      try {
        Files.createDirectories(keptLog.getParent());
        Files.copy(base.resolve("dn.log"), keptLog, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        System.err.println("cannot keep the DataNode log " + base.resolve("dn.log") + ": " + e);
      }
      FileUtil.fullyDelete(base.toFile());
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      datanode.stop();
      datanode.close();
    } finally {
      cluster.shutdown(true);
      FileUtil.fullyDelete(base.toFile());
    }
  }

  /** Prints the last lines of the DataNode's log, for a failed set-up. */
  void printLog() {
    printLog(base);
  }

  private static void printLog(Path base) {
    try {
      List<String> log = Files.readAllLines(base.resolve("dn.log"));
      System.err.println("DataNode log " + base.resolve("dn.log") + " (last 60 lines):");
      log.subList(Math.max(0, log.size() - 60), log.size()).forEach(System.err::println);
    } catch (IOException e) {
      System.err.println("no DataNode log in " + base + ": " + e);
    }
  }
}
