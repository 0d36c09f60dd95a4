package io.marvel.faas.bench;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.testing.WordCountJobs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.examples.terasort.TeraGen;
import org.apache.hadoop.examples.terasort.TeraSort;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.v2.MiniMRYarnCluster;
import org.apache.hadoop.util.ToolRunner;

/**
 * One column of {@code dev-support/bin/bench-mapreduce}: starts a single-DataNode
 * MiniDFSCluster on disk, generates the inputs (deterministic, so every column sees the same
 * bytes), then times wordcount, terasort and a 1 KiB wordcount under one framework and prints a
 * result line {@code RESULT mode wordcount_s terasort_s tiny_s cold warm}.
 *
 * <p>Modes: {@code local} (LocalJobRunner), {@code yarn} (MiniMRYarnCluster, one NodeManager),
 * {@code faas-pmem} (embedded OpenWhisk, PMEM store in /dev/shm, containers warmed by an untimed
 * wordcount of 1 MiB files, one per activation that may run at once), {@code faas-hdfs}
 * (embedded OpenWhisk, HDFS store, containers destroyed after 1 ms idle: the stateless
 * baseline).
 *
 * <p>usage: {@code MapReduceBenchmark <mode> <work-dir> <wordcount-MiB> <terasort-rows>
 * [key=value ...]}; each {@code key=value} is set on every job's configuration, whatever the
 * mode.
 */
public final class MapReduceBenchmark {
  private static final String[] WORDS = vocabulary();

  private MapReduceBenchmark() {
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      // Mini clusters leave non-daemon threads behind; without this the JVM would not end.
      System.exit(1);
    }
    System.exit(0);
  }

  private static void run(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: MapReduceBenchmark local|yarn|faas-pmem|faas-hdfs <work-dir>"
          + " <wordcount-MiB> <terasort-rows> [key=value ...]");
      System.exit(2);
    }
    String mode = args[0];
    Path work = Paths.get(args[1]).toAbsolutePath();
    int mib = Integer.parseInt(args[2]);
    long rows = Long.parseLong(args[3]);
    Configuration overrides = new Configuration(false);
    for (String setting : Arrays.asList(args).subList(4, args.length)) {
      String[] keyValue = setting.split("=", 2);
      if (keyValue.length != 2) {
        throw new IllegalArgumentException("not key=value: " + setting);
      }
      overrides.set(keyValue[0], keyValue[1]);
    }
    Path pmem = Paths.get("/dev/shm", "marvel-bench-" + UUID.randomUUID());
    deleteTree(work.resolve(mode));
    Configuration base = new Configuration();
    base.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve(mode).resolve("dfs").toString());
    base.set("hadoop.tmp.dir", work.resolve(mode).resolve("tmp").toString());
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(base).numDataNodes(1).build();
    MiniMRYarnCluster yarn = null;
    try {
      dfs.waitActive();
      FileSystem fs = dfs.getFileSystem();
      generateText(fs, new org.apache.hadoop.fs.Path("/bench/text"), (long) mib << 20, 32 << 20);
      generateText(fs, new org.apache.hadoop.fs.Path("/bench/tiny"), 1024, 1024);
      Configuration gen = new Configuration(dfs.getConfiguration(0));
      gen.set(MRConfig.FRAMEWORK_NAME, "local");
      gen.setInt("mapreduce.job.maps", 4);
      check(ToolRunner.run(gen, new TeraGen(), new String[] {Long.toString(rows),
          "/bench/tera-in"}), "teragen");
      Configuration conf = new Configuration(dfs.getConfiguration(0));
      switch (mode) {
        case "local" -> conf.set(MRConfig.FRAMEWORK_NAME, "local");
        case "yarn" -> {
          yarn = startYarn(conf, work.resolve(mode));
          conf = new Configuration(yarn.getConfig());
        }
        case "faas-pmem", "faas-hdfs" -> {
          Files.createDirectories(pmem);
          conf.set(MRConfig.FRAMEWORK_NAME, "faas");
          conf.set(FaasConfigKeys.LAUNCHER_KEY, "openwhisk");
          conf.set(FaasConfigKeys.STATE_PMEM_DIR_KEY, pmem.toString());
          conf.set(FaasConfigKeys.SUMMARY_DIR_KEY, work.resolve(mode).resolve("summaries")
              .toString());
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
      if (mode.startsWith("faas") && conf.getBoolean(FaasConfigKeys.EMBEDDED_REUSE_CONTAINERS_KEY,
          FaasConfigKeys.EMBEDDED_REUSE_CONTAINERS_DEFAULT)) {
        // Warm the containers: one untimed wordcount with as many maps as may run at once, so
        // the timed jobs find every container they use warm.
        int warmFiles = conf.getInt(FaasConfigKeys.MAX_CONCURRENCY_KEY,
            FaasConfigKeys.MAX_CONCURRENCY_DEFAULT);
        generateText(fs, new org.apache.hadoop.fs.Path("/bench/warm"), (long) warmFiles << 20,
            1 << 20);
        wordCount(conf, "/bench/warm", "/bench/out-warmup");
      }
      Timed wc = wordCount(conf, "/bench/text", "/bench/out-wc");
      long t0 = System.nanoTime();
      check(ToolRunner.run(new Configuration(conf), new TeraSort(),
          new String[] {"/bench/tera-in", "/bench/out-tera"}), "terasort");
      double tera = (System.nanoTime() - t0) / 1e9;
      Timed tiny = wordCount(conf, "/bench/tiny", "/bench/out-tiny");
      System.out.printf(Locale.ROOT, "RESULT %s %.2f %.2f %.2f %d %d%n", mode, wc.seconds,
          tera, tiny.seconds, wc.cold + tiny.cold, wc.warm + tiny.warm);
    } finally {
      if (yarn != null) {
        yarn.stop();
      }
      dfs.shutdown(true);
      deleteTree(pmem);
      deleteTree(work.resolve(mode).resolve("dfs"));
    }
  }

  private record Timed(double seconds, long cold, long warm) {
  }

  private static Timed wordCount(Configuration conf, String in, String out) throws Exception {
    Job job = WordCountJobs.withCombiner(new Configuration(conf), "bench-wordcount",
        new org.apache.hadoop.fs.Path(in), new org.apache.hadoop.fs.Path(out));
    long t0 = System.nanoTime();
    check(job.waitForCompletion(false) ? 0 : 1, "wordcount " + in + ": "
        + job.getStatus().getFailureInfo());
    double seconds = (System.nanoTime() - t0) / 1e9;
    Counters c = job.getCounters();
    return new Timed(seconds, c.findCounter(FaasCounter.JOB_CACHE_MISSES).getValue(),
        c.findCounter(FaasCounter.JOB_CACHE_HITS).getValue());
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

  private static void check(int status, String what) {
    if (status != 0) {
      throw new IllegalStateException(what + " failed");
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
