package io.marvel.faas.bench;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.testing.TestFiles;
import io.marvel.faas.testing.WordCountJobs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.examples.terasort.TeraGen;
import org.apache.hadoop.examples.terasort.TeraSort;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.v2.MiniMRYarnCluster;
import org.apache.hadoop.util.ToolRunner;

/**
 * One run of {@code dev-support/bin/bench-mapreduce}: one framework, one JVM. Starts a
 * single-DataNode MiniDFSCluster on disk whose data stays in {@code <work-dir>/dfs} between
 * runs, so the inputs are generated once (deterministic, so every framework sees the same
 * bytes); then times the chosen jobs (wordcount with combiner, terasort, a 1 KiB wordcount)
 * under one framework and prints one {@link RunResult} line per job: wall time, what the job
 * cost ({@link CostMeter}: GB-seconds), the CPU of every process that did its work
 * ({@link ProcessTreeCpu}) and the peak resident set of one task container ({@link TaskRss}).
 *
 * <p>Modes: {@code local} (LocalJobRunner), {@code yarn} (MiniMRYarnCluster, one NodeManager),
 * {@code faas-pmem} (embedded OpenWhisk, PMEM store in /dev/shm, containers warmed by an untimed
 * wordcount of 1 MiB files, one per activation that may run at once), {@code faas-cold}
 * (the same on a fresh platform: no warm-up, every container the wordcount uses starts cold),
 * {@code faas-hdfs}
 * (embedded OpenWhisk, HDFS store, containers destroyed after 1 ms idle: the stateless
 * baseline).
 *
 * <p>usage: see {@link BenchOptions#USAGE}; each {@code key=value} is set on every job's
 * configuration, whatever the mode.
 */
public final class MapReduceBenchmark {
  private static final String[] WORDS = vocabulary();
  private static final long MIB = 1L << 20;

  private MapReduceBenchmark() {
  }

  public static void main(String[] args) {
    try {
      run(BenchOptions.parse(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    } catch (Throwable t) {
      t.printStackTrace();
      // Mini clusters leave non-daemon threads behind; without this the JVM would not end.
      System.exit(1);
    }
    System.exit(0);
  }

  /** What the timed jobs of one run share. */
  private record Setup(BenchOptions options, Configuration conf, FileSystem fs,
      Path summaries) {
  }

  private static void run(BenchOptions options) throws Exception {
    String mode = options.mode();
    Path work = Paths.get(options.workDir()).toAbsolutePath();
    Configuration overrides = new Configuration(false);
    for (String setting : options.settings()) {
      String[] keyValue = setting.split("=", 2);
      overrides.set(keyValue[0], keyValue[1]);
    }
    Path pmem = Paths.get("/dev/shm", "marvel-bench-" + UUID.randomUUID());
    TestFiles.deleteTree(work.resolve(mode));
    Path dfsDir = work.resolve("dfs");
    boolean fresh = !Files.isDirectory(dfsDir);
    Configuration base = new Configuration();
    base.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dfsDir.toString());
    base.set("hadoop.tmp.dir", work.resolve(mode).resolve("tmp").toString());
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(base).numDataNodes(1).format(fresh).build();
    MiniMRYarnCluster yarn = null;
    try {
      dfs.waitActive();
      FileSystem fs = dfs.getFileSystem();
      Configuration conf = new Configuration(dfs.getConfiguration(0));
      Path summaries = work.resolve(mode).resolve("summaries");
      switch (mode) {
        case "local" -> conf.set(MRConfig.FRAMEWORK_NAME, "local");
        case "yarn" -> {
          yarn = startYarn(conf, work.resolve(mode));
          conf = new Configuration(yarn.getConfig());
        }
        case "faas-pmem", "faas-cold", "faas-hdfs" -> {
          Files.createDirectories(pmem);
          conf.set(MRConfig.FRAMEWORK_NAME, "faas");
          conf.set(FaasConfigKeys.LAUNCHER_KEY, "openwhisk");
          conf.set(FaasConfigKeys.STATE_PMEM_DIR_KEY, pmem.toString());
          conf.set(FaasConfigKeys.SUMMARY_DIR_KEY, summaries.toString());
          if (mode.equals("faas-hdfs")) {
            conf.set(FaasConfigKeys.STATE_STORE_KEY, "hdfs");
            conf.setBoolean(FaasConfigKeys.EMBEDDED_REUSE_CONTAINERS_KEY, false);
          }
        }
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
      // Job.waitForCompletion checks every 5 s by default, which would hide every framework's
      // own overhead on short jobs; all columns poll every 50 ms.
      conf.setInt(Job.COMPLETION_POLL_INTERVAL_KEY, 50);
      // Settings given on the command line win over the mode's own.
      for (Map.Entry<String, String> setting : overrides) {
        conf.set(setting.getKey(), setting.getValue());
      }
      Setup setup = new Setup(options, conf, fs, summaries);
      if (options.prepareOnly()) {
        for (String job : options.jobs()) {
          System.err.println("prepared " + job + " input " + input(setup, job));
        }
        return;
      }
      if (mode.startsWith("faas") && !mode.equals("faas-cold")
          && conf.getBoolean(FaasConfigKeys.EMBEDDED_REUSE_CONTAINERS_KEY,
          FaasConfigKeys.EMBEDDED_REUSE_CONTAINERS_DEFAULT)) {
        // Warm the containers: one untimed wordcount with as many maps as may run at once, so
        // the timed jobs find every container they use warm.
        int warmFiles = conf.getInt(FaasConfigKeys.MAX_CONCURRENCY_KEY,
            FaasConfigKeys.MAX_CONCURRENCY_DEFAULT);
        org.apache.hadoop.fs.Path warm = text(fs, (long) warmFiles * MIB, MIB);
        runWordCount(conf, warm, -1);
      }
      for (String job : options.jobs()) {
        System.out.println(measure(setup, job).toLine());
        if (mode.startsWith("faas")) {
          ShuffleLine.ofNewest(options.round(), mode, job, summaries)
              .ifPresent(line -> System.out.println(line.toLine()));
        }
        System.out.flush();
      }
    } finally {
      if (yarn != null) {
        yarn.stop();
      }
      // The data stays for the next run (MiniDFSCluster.shutdown would delete it at exit).
      dfs.shutdownDataNodes();
      dfs.shutdownNameNodes();
      TestFiles.deleteTree(pmem);
    }
  }

  /** A job's input: where, its size as the user names it, bytes, maps (FileInputFormat's). */
  private record Input(org.apache.hadoop.fs.Path path, String size, long bytes, int maps) {
  }

  /** @return the job's input, generated on first use */
  private static Input input(Setup s, String job) throws Exception {
    BenchOptions o = s.options();
    long split = splitBytes(s.conf(), s.conf().getLongBytes("dfs.blocksize", 128 * MIB));
    switch (job) {
      case "wordcount" -> {
        long fileBytes = (o.splitMib() == 0 ? 32 : o.splitMib()) * MIB;
        long bytes = o.wordcountMib() * MIB;
        return new Input(text(s.fs(), bytes, fileBytes), o.wordcountMib() + "MiB", bytes,
            splits(bytes, fileBytes, split));
      }
      case "terasort" -> {
        // TeraGen under the local runner writes one file (LocalClientProtocolProvider makes
        // every job's map count 1); TeraSort splits it by HDFS block, as FileInputFormat does.
        long bytes = o.terasortRows() * 100;
        int maps = fileSplits(bytes, split);
        return new Input(teraInput(s.fs(), s.conf(), o.terasortRows()),
            o.terasortRows() % 1_000_000 == 0 ? o.terasortRows() / 1_000_000 + "Mrows"
                : o.terasortRows() + "rows", bytes, maps);
      }
      case "tiny" -> {
        return new Input(text(s.fs(), 1024, 1024), "1KiB", 1024, 1);
      }
      default -> throw new IllegalArgumentException("unknown job " + job);
    }
  }

  private static RunResult measure(Setup s, String job) throws Exception {
    BenchOptions o = s.options();
    String mode = o.mode();
    Input in = input(s, job);
    org.apache.hadoop.fs.Path input = in.path();
    long bytes = in.bytes();
    int reduces = o.reducers(bytes);
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path("/bench/out-" + job);
    s.fs().delete(out, true);
    CostMeter meter = CostMeter.of(mode, s.conf(), s.summaries());
    meter.before();
    QuietMachine.await();
    TaskRss rss = mode.equals("local") ? null : TaskRss.start();
    ProcessTreeCpu.Snapshot cpuBefore = ProcessTreeCpu.take();
    long t0 = System.nanoTime();
    if (job.equals("terasort")) {
      Configuration conf = new Configuration(s.conf());
      if (reduces > 0) {
        conf.setInt(MRJobConfig.NUM_REDUCES, reduces);
      }
      check(ToolRunner.run(conf, new TeraSort(), new String[] {input.toString(),
          out.toString()}), "terasort");
    } else {
      runWordCount(s.conf(), input, reduces, out);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    meter.awaitEnd();
    ProcessTreeCpu.Snapshot cpuAfter = ProcessTreeCpu.take();
    double taskRss = Double.NaN;
    double taskOwnRss = Double.NaN;
    double amRss = Double.NaN;
    if (rss != null) {
      rss.close();
      taskRss = rss.peakMib(TaskRss.Kind.TASK);
      taskOwnRss = rss.ownPeakMib(TaskRss.Kind.TASK);
      amRss = rss.peakMib(TaskRss.Kind.APP_MASTER);
    }
    CostMeter.Cost cost = meter.after();
    System.out.println(CpuLine.of(o.round(), mode, job, cpuBefore, cpuAfter).toLine());
    s.fs().delete(out, true);
    return new RunResult(o.round(), mode, job, in.size(), bytes, in.maps(),
        reduces > 0 ? reduces : s.conf().getInt(MRJobConfig.NUM_REDUCES, 1), wall,
        cost.gbSeconds(), cost.taskGbSeconds(), ProcessTreeCpu.seconds(cpuBefore, cpuAfter),
        taskRss, taskOwnRss, amRss, cost.cold(), cost.warm());
  }

  private static void runWordCount(Configuration conf, org.apache.hadoop.fs.Path in,
      int reduces) throws Exception {
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path("/bench/out-warmup");
    FileSystem.get(conf).delete(out, true);
    runWordCount(conf, in, reduces, out);
    FileSystem.get(conf).delete(out, true);
  }

  private static void runWordCount(Configuration conf, org.apache.hadoop.fs.Path in,
      int reduces, org.apache.hadoop.fs.Path out) throws Exception {
    Job job = WordCountJobs.withCombiner(new Configuration(conf), "bench-wordcount", in, out);
    if (reduces > 0) {
      job.setNumReduceTasks(reduces);
    }
    check(job.waitForCompletion(false) ? 0 : 1, "wordcount " + in + ": "
        + job.getStatus().getFailureInfo());
  }

  /**
   * @return the dir of generated text of that size and layout, made on first use (under a
   *     temporary name, renamed when complete, so a killed run leaves no partial input)
   */
  static org.apache.hadoop.fs.Path text(FileSystem fs, long total, long fileBytes)
      throws IOException {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path("/bench/text-" + total + "-"
        + fileBytes);
    if (!fs.exists(dir)) {
      org.apache.hadoop.fs.Path tmp = dir.suffix(".tmp");
      fs.delete(tmp, true);
      generateText(fs, tmp, total, fileBytes);
      check(fs.rename(tmp, dir) ? 0 : 1, "rename of " + tmp);
    }
    return dir;
  }

  /**
   * @param conf the job's configuration
   * @param blockBytes the input files' block size
   * @return the split size FileInputFormat computes: the block size, capped by
   *     {@code mapreduce.input.fileinputformat.split.maxsize}, at least its {@code minsize}
   */
  static long splitBytes(Configuration conf, long blockBytes) {
    return Math.max(conf.getLong(FileInputFormat.SPLIT_MINSIZE, 1),
        Math.min(conf.getLong(FileInputFormat.SPLIT_MAXSIZE, Long.MAX_VALUE), blockBytes));
  }

  /**
   * @return how many splits FileInputFormat makes of {@code totalBytes} in files of
   *     {@code fileBytes} (the last one shorter), each cut as {@link #fileSplits} says
   */
  static int splits(long totalBytes, long fileBytes, long splitBytes) {
    long fullFiles = totalBytes / fileBytes;
    long rest = totalBytes % fileBytes;
    return (int) (fullFiles * fileSplits(fileBytes, splitBytes)) + fileSplits(rest, splitBytes);
  }

  /**
   * @return how many splits FileInputFormat makes of one file: a split of the split size while
   *     more than 1.1 of them remain, then one for the rest
   */
  static int fileSplits(long bytes, long splitBytes) {
    int splits = 0;
    long left = bytes;
    while ((double) left / splitBytes > 1.1) {
      splits++;
      left -= splitBytes;
    }
    return left > 0 ? splits + 1 : splits;
  }

  /** @return terasort input of that many rows (one file), made on first use */
  static org.apache.hadoop.fs.Path teraInput(FileSystem fs, Configuration dfsConf,
      long rows) throws Exception {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path("/bench/tera-" + rows);
    if (!fs.exists(dir)) {
      org.apache.hadoop.fs.Path tmp = dir.suffix(".tmp");
      fs.delete(tmp, true);
      Configuration gen = new Configuration(dfsConf);
      gen.set(MRConfig.FRAMEWORK_NAME, "local");
      check(ToolRunner.run(gen, new TeraGen(), new String[] {Long.toString(rows),
          tmp.toString()}), "teragen");
      check(fs.rename(tmp, dir) ? 0 : 1, "rename of " + tmp);
    }
    return dir;
  }

  private static MiniMRYarnCluster startYarn(Configuration conf, Path dir) {
    String opens = System.getProperty("marvel.child.opens", "");
    conf.set("mapreduce.admin.map.child.java.opts", opens);
    conf.set("mapreduce.admin.reduce.child.java.opts", opens);
    conf.set("yarn.app.mapreduce.am.admin-command-opts", opens);
    conf.set("yarn.nodemanager.vmem-check-enabled", "false");
    conf.setInt("yarn.nodemanager.resource.memory-mb", 8192);
    conf.set("yarn.app.mapreduce.am.staging-dir", "/bench/staging");
    conf.set("hadoop.tmp.dir", dir.resolve("tmp").toString());
    MiniMRYarnCluster yarn = new MiniMRYarnCluster("bench", 1);
    yarn.init(conf);
    yarn.start();
    return yarn;
  }

  /** Writes {@code total} bytes of text in files of {@code fileBytes}, from a fixed seed. */
  private static void generateText(FileSystem fs, org.apache.hadoop.fs.Path dir, long total,
      long fileBytes) throws IOException {
    Random random = new Random(20261129L);
    StringBuilder line = new StringBuilder();
    int file = 0;
    long written = 0;
    while (written < total) {
      long thisFile = Math.min(fileBytes, total - written);
      try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(dir, "part-" + file++))) {
        long inFile = 0;
        while (inFile < thisFile) {
          line.setLength(0);
          for (int w = 0; w < 10; w++) {
            // Skewed word choice, as natural text is.
            int index = (int) (WORDS.length * Math.pow(random.nextDouble(), 3));
            line.append(WORDS[index]).append(w == 9 ? '\n' : ' ');
          }
          byte[] bytes = line.toString().getBytes(StandardCharsets.US_ASCII);
          out.write(bytes);
          inFile += bytes.length;
        }
        written += inFile;
      }
    }
  }

  private static String[] vocabulary() {
    Random random = new Random(7);
    String[] words = new String[20_000];
    for (int i = 0; i < words.length; i++) {
      StringBuilder word = new StringBuilder();
      int length = 3 + random.nextInt(8);
      for (int c = 0; c < length; c++) {
        word.append((char) ('a' + random.nextInt(26)));
      }
      words[i] = word.toString();
    }
    return words;
  }

  static void check(int status, String what) {
    if (status != 0) {
      throw new IllegalStateException(what + " failed");
    }
  }

}
