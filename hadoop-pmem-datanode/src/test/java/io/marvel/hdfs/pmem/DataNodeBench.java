package io.marvel.hdfs.pmem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
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

/**
 * The DataNode benchmark behind {@code dev-support/bin/bench-datanode}: a NameNode (MiniDFSCluster)
 * and one real DataNode in its own JVM, in three set-ups side by side: (a) stock DataNode on a
 * disk dir, (b) stock DataNode on /dev/shm, (c) the PMEM DataNode on a /dev/shm [NVDIMM] dir.
 * For each: sequential write and read of one file (replication 1, 128 MiB blocks), the DataNode
 * process's CPU seconds per GiB written, and the latency of 4 KiB write+hsync.
 *
 * <p>Arguments: {@code [diskDir] [fileMiB] [hsyncs] [pmemDir]}; defaults target/bench, 2048,
 * 3000, /dev/shm.
 */
public final class DataNodeBench {
  private static final int BLOCK_SIZE = 128 << 20;
  private static final int BUFFER = 1 << 20;
  private static final int RECORD = 4096;
  private static final int READS = 3;

  private DataNodeBench() {
  }

  /** One set-up under test. */
  private record Setup(String name, String tag, Path root, boolean pmem) {
  }

  /** What one set-up measured. */
  private record Result(Setup setup, double writeMBs, double readMBs, double cpuPerGiB,
      double idleCpuPerGiB, double p50us, double p99us) {
    /** @return CPU per GiB written including the work done ahead while idle */
    double totalCpuPerGiB() {
      return cpuPerGiB + idleCpuPerGiB;
    }
  }

  /**
   * Runs the benchmark and prints the table.
   *
   * @param args disk dir, file size in MiB, number of hsyncs
   * @throws Exception if a set-up fails
   */
  public static void main(String[] args) throws Exception {
    Path disk = Paths.get(args.length > 0 ? args[0] : "target/bench").toAbsolutePath();
    long fileBytes = (args.length > 1 ? Long.parseLong(args[1]) : 2048) << 20;
    int hsyncs = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
    Path shm = Paths.get("/dev/shm");
    Path pmemRoot = Paths.get(args.length > 3 ? args[3] : "/dev/shm");
    List<Setup> setups = List.of(
        new Setup("(a) stock, disk", "[DISK]", disk, false),
        new Setup("(b) stock, /dev/shm", "[DISK]", shm, false),
        new Setup("(c) PMEM, " + pmemRoot, "[NVDIMM]", pmemRoot, true));
    List<Result> results = new ArrayList<>();
    for (Setup setup : setups) {
      Result result = run(setup, fileBytes, hsyncs);
      System.out.println("done: " + format(result));
      results.add(result);
    }
    printTable(results, fileBytes, hsyncs);
  }

  private static Result run(Setup setup, long fileBytes, int hsyncs) throws Exception {
    Files.createDirectories(setup.root());
    Path base = Files.createTempDirectory(setup.root(), "marvel-bench-");
    Configuration conf = new HdfsConfiguration();
    conf.setLong(DFSConfigKeys.DFS_BLOCK_SIZE_KEY, BLOCK_SIZE);
    conf.setInt(DFSConfigKeys.DFS_HEARTBEAT_INTERVAL_KEY, 1);
    conf.set(DFSConfigKeys.DFS_DATANODE_ADDRESS_KEY, "127.0.0.1:0");
    conf.set(DFSConfigKeys.DFS_DATANODE_HTTP_ADDRESS_KEY, "127.0.0.1:0");
    conf.set(DFSConfigKeys.DFS_DATANODE_IPC_ADDRESS_KEY, "127.0.0.1:0");
    if (setup.pmem()) {
      PmemDatasetFactory.setFactory(conf);
      conf.setInt(PmemDatasetKeys.PREPARED_FILES_KEY, preparedFiles(fileBytes));
    }
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, base.resolve("nn").toFile())
        .numDataNodes(0).build();
    try {
      cluster.waitActive();
      Path dataDir = Files.createDirectories(base.resolve("dn"));
      Path dnConf = ChildDataNode.writeConf(conf, cluster.getURI().toString(),
          setup.tag() + dataDir.toUri(), base.resolve("dn-site.xml"));
      Path site = writeCoreSite(base);
      try (ChildDataNode datanode = ChildDataNode.start(dnConf, base.resolve("dn.log"), "1g",
          Map.of(), site)) {
        DistributedFileSystem fs = cluster.getFileSystem();
        awaitDataNode(fs, datanode);
        fs.setStoragePolicy(new org.apache.hadoop.fs.Path("/"),
            setup.pmem() ? "ALL_NVDIMM" : "HOT");
        byte[] buffer = new byte[BUFFER];
        new Random(1).nextBytes(buffer);
        org.apache.hadoop.fs.Path warm = new org.apache.hadoop.fs.Path("/warmup");
        write(fs, warm, buffer, 2L * BLOCK_SIZE);
        read(fs, warm, buffer);
        fs.delete(warm, false);
        hsyncLatencies(fs, new org.apache.hadoop.fs.Path("/hsync-warmup"), buffer, 500);

        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path("/seq");
        double idleCpu = awaitIdle(datanode);
        double cpuBefore = datanode.cpuSeconds();
        double writeSeconds = write(fs, file, buffer, fileBytes);
        double cpu = datanode.cpuSeconds() - cpuBefore;
        double readSeconds = medianRead(fs, file, buffer);
        fs.delete(file, false);
        long[] latencies = hsyncLatencies(fs, new org.apache.hadoop.fs.Path("/hsync"), buffer,
            hsyncs);
        Arrays.sort(latencies);
        datanode.stop();
        double gib = fileBytes / (double) (1L << 30);
        return new Result(setup, fileBytes / 1e6 / writeSeconds, fileBytes / 1e6 / readSeconds,
            cpu / gib, idleCpu / gib, percentile(latencies, 0.50) / 1e3,
            percentile(latencies, 0.99) / 1e3);
      }
    } catch (IOException | RuntimeException e) {
      List<String> log = Files.readAllLines(base.resolve("dn.log"));
      System.err.println("DataNode log of " + setup.name() + " (last 60 lines):");
      log.subList(Math.max(0, log.size() - 60), log.size()).forEach(System.err::println);
      throw e;
    } finally {
      cluster.shutdown(true);
      FileUtil.fullyDelete(base.toFile());
    }
  }

  /**
   * The DataNode's core-site.xml, the same for every set-up: 128 KiB io.file.buffer.size, the
   * usual production value, which sizes the packets of reads that cannot use sendfile.
   */
  private static Path writeCoreSite(Path base) throws IOException {
    Path dir = Files.createDirectories(base.resolve("etc"));
    Configuration site = new Configuration(false);
    site.setInt("io.file.buffer.size", 128 * 1024);
    try (java.io.OutputStream out = Files.newOutputStream(dir.resolve("core-site.xml"))) {
      site.writeXml(out);
    }
    return dir;
  }

  private static void awaitDataNode(DistributedFileSystem fs, ChildDataNode datanode)
      throws IOException, InterruptedException {
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

  /** (c) keeps as many block files prepared as the measured file needs blocks. */
  private static int preparedFiles(long fileBytes) {
    return (int) ((fileBytes + BLOCK_SIZE - 1) / BLOCK_SIZE);
  }

  /**
   * Waits until the DataNode has been idle (under 5% of a core) for two seconds, so the timed
   * write starts from a quiet DataNode, as in production between bursts; up to 5 minutes.
   *
   * @return CPU seconds the DataNode spent meanwhile (for (c): preparing block files)
   */
  private static double awaitIdle(ChildDataNode datanode) throws IOException,
      InterruptedException {
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

  private static double write(DistributedFileSystem fs, org.apache.hadoop.fs.Path file,
      byte[] buffer, long bytes) throws IOException {
    long start = System.nanoTime();
    try (FSDataOutputStream out = fs.create(file, (short) 1)) {
      for (long done = 0; done < bytes; done += buffer.length) {
        out.write(buffer, 0, (int) Math.min(buffer.length, bytes - done));
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Reads the file {@value #READS} times: single reads of the same file on this 2-core machine
   * vary by a third from run to run, so the median stands for the set-up.
   *
   * @return the median read time in seconds
   */
  private static double medianRead(DistributedFileSystem fs, org.apache.hadoop.fs.Path file,
      byte[] buffer) throws IOException {
    double[] seconds = new double[READS];
    for (int i = 0; i < READS; i++) {
      seconds[i] = read(fs, file, buffer);
    }
    Arrays.sort(seconds);
    return seconds[READS / 2];
  }

  private static double read(DistributedFileSystem fs, org.apache.hadoop.fs.Path file,
      byte[] buffer) throws IOException {
    long start = System.nanoTime();
    try (FSDataInputStream in = fs.open(file)) {
      while (in.read(buffer, 0, buffer.length) >= 0) {
        // Reading is the measurement; the bytes are not needed.
        continue;
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static long[] hsyncLatencies(DistributedFileSystem fs, org.apache.hadoop.fs.Path file,
      byte[] buffer, int count) throws IOException {
    long[] latencies = new long[count];
    try (FSDataOutputStream out = fs.create(file, (short) 1)) {
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        out.write(buffer, (i * RECORD) % (buffer.length - RECORD), RECORD);
        ((HdfsDataOutputStream) out).hsync();
        latencies[i] = System.nanoTime() - start;
      }
    }
    fs.delete(file, false);
    return latencies;
  }

  private static double percentile(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  private static String format(Result r) {
    return String.format(Locale.ROOT,
        "| %-20.20s | %9.0f | %9.0f | %12.2f | %16.2f | %10.1f | %10.1f |", r.setup().name(),
        r.writeMBs(), r.readMBs(), r.cpuPerGiB(), r.totalCpuPerGiB(), r.p50us(), r.p99us());
  }

  private static void printTable(List<Result> results, long fileBytes, int hsyncs) {
    System.out.println();
    System.out.printf(Locale.ROOT, "DataNode benchmark: %d MiB file, replication 1, 128 MiB "
        + "blocks; read MB/s is the median of %d reads; %d x (4 KiB write + hsync)%n",
        fileBytes >> 20, READS, hsyncs);
    System.out.printf(Locale.ROOT, "(c) keeps %d block files prepared (dfs.datanode.pmem."
        + "prepared-files); \"incl. idle\" adds the DataNode's CPU while it was idle before the"
        + " write (preparing them), per GiB written%n%n", preparedFiles(fileBytes));
    System.out.println("| set-up               | write MB/s | read MB/s | DN CPU s/GiB "
        + "| incl. idle s/GiB | hsync p50 us | hsync p99 us |");
    System.out.println("|----------------------|-----------:|----------:|-------------:"
        + "|-----------------:|-----------:|-----------:|");
    for (Result r : results) {
      System.out.println(format(r));
    }
    Result a = results.get(0);
    Result b = results.get(1);
    Result c = results.get(2);
    System.out.println();
    System.out.println("| ratio      | c/a    | c/b    | target          | met |");
    System.out.println("|------------|-------:|-------:|-----------------|-----|");
    ratio("write MB/s", c.writeMBs(), a.writeMBs(), b.writeMBs(), ">= 1.0 x b",
        c.writeMBs() >= b.writeMBs());
    ratio("read MB/s", c.readMBs(), a.readMBs(), b.readMBs(), ">= 1.0 x b",
        c.readMBs() >= b.readMBs());
    ratio("CPU s/GiB", c.cpuPerGiB(), a.cpuPerGiB(), b.cpuPerGiB(), "<= 0.8 x b",
        c.cpuPerGiB() <= 0.8 * b.cpuPerGiB());
    ratio("CPU w/ idle", c.totalCpuPerGiB(), a.totalCpuPerGiB(), b.totalCpuPerGiB(),
        "(reported only)", null);
    ratio("hsync p50", c.p50us(), a.p50us(), b.p50us(), "<= 0.25 x a, 1.2 x b",
        c.p50us() <= 0.25 * a.p50us() && c.p50us() <= 1.2 * b.p50us());
  }

  private static void ratio(String what, double c, double a, double b, String target,
      Boolean met) {
    System.out.printf(Locale.ROOT, "| %-10s | %6.2f | %6.2f | %-15s | %-3s |%n", what, c / a,
        c / b, target, met == null ? "-" : met ? "yes" : "no");
  }
}
