package io.marvel.hdfs.pmem;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The DataNode benchmark behind {@code dev-support/bin/bench-datanode}: three set-ups, (a) the
 * stock DataNode on a disk dir, (b) the stock DataNode on /dev/shm, (c) the PMEM DataNode on a
 * /dev/shm [NVDIMM] dir, each a NameNode (MiniDFSCluster) and one real DataNode JVM with
 * Hadoop's default {@code io.file.buffer.size} (4 KiB), plus one more DataNode per set-up with
 * 128 KiB for the second read figure (the block sender reads the setting once per JVM).
 *
 * <p>Every set-up stays up for the whole benchmark and the runs interleave (a, b, c, a, b, c,
 * ...), so that a slow minute on this shared machine hits every set-up alike. A run of a set-up
 * measures: the median of 3 reads of a file on the 128 KiB DataNode; a sequential write
 * (replication 1, 128 MiB blocks) and the DataNode's CPU for it; the median of 3 reads of that
 * file; 4 KiB write+hsync latencies; then it deletes the file, waits until the DataNode has
 * deleted its replicas (the NameNode sends the deletes seconds later) and then until it is
 * idle, counting the CPU it spent from the delete on (for (c): recycling and preparing block
 * files for the next run, for the stock DataNode: deleting) as preparation, plus what the PMEM
 * pool's preparer threads spent during the reads and hsyncs. (c) keeps as many block files
 * ready as a run creates replicas: the file's blocks and the hsync file's one. Every run is
 * printed, then the median per set-up, and the targets are judged on the medians.
 *
 * <p>The DataNodes run {@link BenchDataNodeProcess}, which timestamps each packet's steps in
 * Hadoop's block receiver and packet responder (and the PMEM dataset's share of it); after
 * each run's hsyncs {@link HsyncTail} says where the slowest 1% of them spent their time, with
 * the JVM pauses of the DataNode and of this JVM (the client's, from the safepoint log the
 * script has it write) and the CPU and run-queue wait of both JVMs' threads meanwhile
 * ({@link ThreadTimes}). The hsync warm-up makes as many hsyncs as a run, so that the runs
 * measure JIT-compiled code.
 *
 * <p>Arguments: {@code [diskDir] [fileMiB] [hsyncs] [pmemDir] [runs]}; defaults target/bench,
 * 2048, 10000, /dev/shm, 5. The system property {@code bench.setups} (default {@code abc}) picks
 * set-ups, e.g. {@code bc} for a quick look while profiling; {@code bench.idleBeforeHsync=true}
 * waits until the DataNode is idle before the hsync latencies, which shows what background work
 * (a PMEM pool preparing the next block file) does to them; {@code bench.preparedFiles} sets
 * how many block files (c) keeps prepared (default: one per replica a run creates).
 */
public final class DataNodeBench {
  private static final int LARGE_BUFFER = 128 * 1024;
  private static final String SEQ = "/seq";
  private static final String READ = "/read";

  private DataNodeBench() {
  }

  /** One set-up under test. */
  private record Setup(String key, String name, String tag, Path root, boolean pmem) {
  }

  /** The two DataNodes of a set-up: Hadoop's default io.file.buffer.size and 128 KiB. */
  private record Running(Setup setup, BenchInstance defaults, BenchInstance large) {
  }

  /** What one run of a set-up measured. */
  private record Run(double writeMBs, double readMBs, double readLargeMBs, double cpuPerGiB,
      double prepCpuPerGiB, double p50us, double p99us, String hsyncTail) {
    double totalCpuPerGiB() {
      return cpuPerGiB + prepCpuPerGiB;
    }
  }

  /**
   * Runs the benchmark and prints every run, the medians and the targets.
   *
   * @param args disk dir, file size in MiB, number of hsyncs, PMEM dir, runs per set-up
   * @throws Exception if a set-up fails
   */
  public static void main(String[] args) throws Exception {
    Path disk = Paths.get(args.length > 0 && !args[0].isEmpty() ? args[0] : "target/bench")
        .toAbsolutePath();
    long fileBytes = (args.length > 1 ? Long.parseLong(args[1]) : 2048) << 20;
    int hsyncs = args.length > 2 ? Integer.parseInt(args[2]) : 10000;
    Path pmemRoot = Paths.get(args.length > 3 ? args[3] : "/dev/shm");
    int runs = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    String chosen = System.getProperty("bench.setups", "abc");
    List<Setup> setups = new ArrayList<>();
    for (Setup setup : List.of(
        new Setup("a", "(a) stock, disk", "[DISK]", disk, false),
        new Setup("b", "(b) stock, /dev/shm", "[DISK]", Paths.get("/dev/shm"), false),
        new Setup("c", "(c) PMEM, " + pmemRoot, "[NVDIMM]", pmemRoot, true))) {
      if (chosen.contains(setup.key())) {
        setups.add(setup);
      }
    }
    // A run creates a replica per block of the file and one for the hsyncs; the system property
    // bench.preparedFiles sets another number, e.g. 0 to write into files not prepared ahead.
    int prepared = Integer.getInteger("bench.preparedFiles",
        (int) ((fileBytes + BenchInstance.BLOCK_SIZE - 1) / BenchInstance.BLOCK_SIZE) + 1);
    System.out.printf(Locale.ROOT, "DataNode benchmark: %d MiB file, replication 1, 128 MiB "
        + "blocks, %d interleaved runs per set-up; read MB/s is the median of 3 reads, with the "
        + "DataNode's io.file.buffer.size at Hadoop's default (4 KiB) and at 128 KiB; %d x "
        + "(4 KiB write + hsync); (c) keeps %d block files prepared (dfs.datanode.pmem."
        + "prepared-files); \"prep\" is the DataNode's CPU after the run until it is idle again "
        + "(preparing block files, deleting) plus its block pool's preparing during the reads "
        + "and hsyncs, per GiB written%n", fileBytes >> 20, runs, hsyncs,
        prepared);
    List<Running> running = new ArrayList<>();
    try {
      for (Setup setup : setups) {
        running.add(start(setup, prepared, fileBytes, hsyncs));
      }
      for (Running r : running) {
        System.out.printf(Locale.ROOT, "%s: DataNode pids %d (default buffer), %d (128 KiB)%n",
            r.setup().name(), r.defaults().pid(), r.large().pid());
      }
      Map<Setup, List<Run>> results = new LinkedHashMap<>();
      List<String> tails = new ArrayList<>();
      printHeader("every run");
      for (int i = 1; i <= runs; i++) {
        for (Running r : running) {
          Run run = measure(r, fileBytes, hsyncs);
          results.computeIfAbsent(r.setup(), s -> new ArrayList<>()).add(run);
          System.out.println(format(r.setup().name() + " #" + i, run));
          tails.add(r.setup().name() + " #" + i + ": " + run.hsyncTail());
        }
      }
      System.out.println();
      System.out.println("Where the slowest 1% of each run's hsyncs spent their time (client to"
          + " DN write: the client's threads, the network and the DataNode's receiver thread up"
          + " to the packet's data written into the replica; write to flush: checksums;"
          + " flush to ack: the dataset's flush and sync, then the hand-over to the packet"
          + " responder thread; ack to client: the client's ack thread waking the writer):");
      tails.forEach(System.out::println);
      printMedians(results, setups);
    } finally {
      // Beside the safepoint log, in the module's target dir.
      Path logs = clientPauses().toAbsolutePath().resolveSibling("bench-logs");
      for (Running r : running) {
        r.defaults().close(logs.resolve(r.setup().key() + "-dn.log"));
        r.large().close(logs.resolve(r.setup().key() + "-dn-128k.log"));
      }
      System.out.println("DataNode logs: " + logs);
    }
  }

  private static Running start(Setup setup, int blocks, long fileBytes, int hsyncs)
      throws Exception {
    BenchInstance defaults = BenchInstance.start(setup.root(), setup.tag(), setup.pmem(), 0,
        blocks);
    BenchInstance large = null;
    try {
      large = BenchInstance.start(setup.root(), setup.tag(), setup.pmem(), LARGE_BUFFER, 1);
      // Warm up both JVMs (JIT, first mappings), then leave the read file on the 128 KiB one.
      // As many hsyncs as a run makes: with fewer (500 before) the JIT compilers of the
      // DataNode and the client still took up to half a core during the first run's hsyncs.
      // A whole run's files, deleted as a run's are: the PMEM pool, which fills up while the
      // deletes are on their way and then keeps the recycled files too, is then as it is
      // after every later run (the first run used to prepare a file for each of its blocks).
      defaults.write("/warmup", fileBytes);
      defaults.read("/warmup");
      defaults.hsyncLatencies("/hsync-warmup", hsyncs, clientPauses());
      defaults.deleteAndAwaitReplicas("/warmup");
      large.write(READ, fileBytes);
      large.read(READ);
      large.awaitIdle();
      defaults.awaitIdle();
      return new Running(setup, defaults, large);
    } catch (Exception e) {
      defaults.printLog();
      defaults.close();
      if (large != null) {
        large.close();
      }
      throw e;
    }
  }

  private static Run measure(Running r, long fileBytes, int hsyncs) throws Exception {
    double gib = fileBytes / (double) (1L << 30);
    double readLarge = r.large().medianRead(READ);
    BenchInstance dn = r.defaults();
    double cpuBefore = dn.cpuSeconds();
    double write = dn.write(SEQ, fileBytes);
    double cpu = dn.cpuSeconds() - cpuBefore;
    // Preparing while the reads and hsyncs run counts as preparing too.
    double preparerBefore = dn.preparerCpuSeconds();
    double read = dn.medianRead(SEQ);
    if (Boolean.getBoolean("bench.idleBeforeHsync")) {
      dn.awaitIdle();
    }
    BenchInstance.Hsyncs measured = dn.hsyncLatencies("/hsync", hsyncs, clientPauses());
    long[] latencies = measured.sortedNanos();
    double preparedMeanwhile = dn.preparerCpuSeconds() - preparerBefore;
    // From the delete: a PMEM pool may prepare files before the deletes reach the DataNode.
    String pid = Long.toString(dn.pid());
    ThreadTimes threadsAtDelete = ThreadTimes.of(pid);
    double cpuAtDelete = dn.cpuSeconds();
    dn.deleteAndAwaitReplicas(SEQ);
    dn.awaitIdle();
    double prep = dn.cpuSeconds() - cpuAtDelete + preparedMeanwhile;
    String prepared = String.format(Locale.ROOT, "; preparing: %.0f ms of the pool's preparer "
        + "during the reads and hsyncs, then from the delete until idle, CPU/run-queue wait ms "
        + "of the DataNode's threads: %s", preparedMeanwhile * 1e3,
        ThreadTimes.of(pid).since(threadsAtDelete, 4));
    return new Run(fileBytes / 1e6 / write, fileBytes / 1e6 / read, fileBytes / 1e6 / readLarge,
        cpu / gib, prep / gib, percentile(latencies, 0.50) / 1e3,
        percentile(latencies, 0.99) / 1e3, measured.tail() + prepared);
  }

  /** @return this JVM's safepoint log (bench-datanode has the JVM write one) */
  private static Path clientPauses() {
    return Paths.get(System.getProperty("bench.safepoints", "target/bench-safepoints.log"));
  }

  private static double percentile(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  private static void printHeader(String title) {
    System.out.println();
    System.out.println("| " + title + String.join("", Collections.nCopies(
        Math.max(0, 23 - title.length()), " "))
        + " | write MB/s | read MB/s 4K | read MB/s 128K | DN CPU s/GiB | prep s/GiB "
        + "| CPU+prep s/GiB | hsync p50 us | hsync p99 us |");
    System.out.println("|-------------------------|-----------:|-------------:|--------------:"
        + "|-------------:|-----------:|---------------:|-------------:|-------------:|");
  }

  private static String format(String label, Run r) {
    return String.format(Locale.ROOT,
        "| %-23.23s | %10.0f | %12.0f | %14.0f | %12.2f | %10.2f | %14.2f | %12.1f | %12.1f |",
        label, r.writeMBs(), r.readMBs(), r.readLargeMBs(), r.cpuPerGiB(), r.prepCpuPerGiB(),
        r.totalCpuPerGiB(), r.p50us(), r.p99us());
  }

  private static void printMedians(Map<Setup, List<Run>> results, List<Setup> setups) {
    Map<String, Run> medians = new LinkedHashMap<>();
    printHeader("median");
    for (Setup setup : setups) {
      List<Run> runs = results.get(setup);
      // The prep column holds what makes the CPU+prep column the median of the totals.
      double cpu = median(runs, Run::cpuPerGiB);
      Run m = new Run(median(runs, Run::writeMBs), median(runs, Run::readMBs),
          median(runs, Run::readLargeMBs), cpu, median(runs, Run::totalCpuPerGiB) - cpu,
          median(runs, Run::p50us), median(runs, Run::p99us), "");
      medians.put(setup.key(), m);
      System.out.println(format(setup.name(), m));
    }
    Run a = medians.get("a");
    Run b = medians.get("b");
    Run c = medians.get("c");
    if (b == null || c == null) {
      return;
    }
    System.out.println();
    System.out.println("| target (on medians)     | c/a    | c/b    | goal               | met |");
    System.out.println("|-------------------------|-------:|-------:|--------------------|-----|");
    target("write MB/s", a, b, c, Run::writeMBs, ">= 1.0 x b", x -> x.cb() >= 1.0);
    target("read MB/s, 4 KiB buffer", a, b, c, Run::readMBs, ">= 1.0 x b", x -> x.cb() >= 1.0);
    target("read MB/s, 128 KiB", a, b, c, Run::readLargeMBs, ">= 1.0 x b",
        x -> x.cb() >= 1.0);
    target("DN CPU+prep s/GiB", a, b, c, Run::totalCpuPerGiB, "<= 0.8 x b",
        x -> x.cb() <= 0.8);
    target("DN CPU s/GiB (no prep)", a, b, c, Run::cpuPerGiB, "(reported only)", null);
    target("hsync p50", a, b, c, Run::p50us, "<= 0.2 x a, 0.7 x b",
        x -> x.cb() <= 0.7 && (x.ca() == null || x.ca() <= 0.2));
    target("hsync p99", a, b, c, Run::p99us, "<= 1.0 x b", x -> x.cb() <= 1.0);
  }

  private static double median(List<Run> runs, ToDoubleFunction<Run> field) {
    double[] values = runs.stream().mapToDouble(field).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  /** c's figure over a's (null without (a)) and over b's. */
  private record Ratios(Double ca, double cb) {
  }

  private static void target(String what, Run a, Run b, Run c, ToDoubleFunction<Run> field,
      String goal, Predicate<Ratios> met) {
    double cv = field.applyAsDouble(c);
    Ratios ratios = new Ratios(a == null ? null : cv / field.applyAsDouble(a),
        cv / field.applyAsDouble(b));
    System.out.printf(Locale.ROOT, "| %-23s | %6s | %6.2f | %-18s | %-3s |%n", what,
        ratios.ca() == null ? "-" : String.format(Locale.ROOT, "%.2f", ratios.ca()),
        ratios.cb(), goal, met == null ? "-" : met.test(ratios) ? "yes" : "no");
  }
}
