package io.marvel.faas.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.hosts.HostsPlatform;
import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.testing.TestFiles;
import io.marvel.faas.testing.WordCountJobs;
import io.marvel.hdfs.pmem.PmemDatasetKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.examples.terasort.TeraSort;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.mapreduce.Cluster;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.util.ToolRunner;

/**
 * The multi-host runs of {@code dev-support/bin/bench-mapreduce} (issue 13): the jobs and inputs
 * of {@link MapReduceBenchmark}, on 3 hosts simulated on this machine ({@link HostsPlatform}:
 * network namespaces, the NameNode on host 0, a DataNode per host, the embedded OpenWhisk's
 * invoker placing containers on the hosts round-robin), with the state store {@code hdfs} and
 * warm containers. Modes: {@code hosts-pmem} (PMEM DataNodes, the job's state under storage
 * policy ALL_NVDIMM: the cross-host PMEM state path) and {@code hosts-disk} (stock DataNodes on
 * a disk volume each under the work dir, Hadoop's default policy). HDFS blocks are 128 MiB, as
 * the single-host runs' MiniDFSCluster's, so the jobs get the same splits. Before the timed jobs
 * a warm-up job warms the containers and {@link DataNodeWarmUp} the DataNodes. Prints a
 * {@link RunResult} line per job (GB-s from the platform's activation records, CPU of this JVM
 * and its descendants: containers, NameNode and DataNodes) and after it a {@code HOSTS} line:
 * the job's activations per host and its faas shuffle counters. Needs root.
 *
 * <p>usage: as {@link BenchOptions#USAGE}, with the mode {@code hosts-pmem} or
 * {@code hosts-disk}.
 */
public final class HostsBenchmark {
  static final List<String> MODES = List.of("hosts-pmem", "hosts-disk");
  private static final int HOSTS = 3;
  private static final long MIB = 1L << 20;

  private HostsBenchmark() {
  }

  public static void main(String[] args) {
    try {
      run(parse(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    } catch (Throwable t) {
      t.printStackTrace();
      // Hadoop's client threads would keep the JVM alive.
      System.exit(1);
    }
    System.exit(0);
  }

  /** @return the options, parsed as {@link BenchOptions} does, for one of {@link #MODES} */
  static BenchOptions parse(String[] args) {
    if (args.length < 1 || !MODES.contains(args[0])) {
      throw new IllegalArgumentException(BenchOptions.USAGE.replace(
          "local|yarn|faas-pmem|faas-hdfs", String.join("|", MODES)));
    }
    String[] asSingleHost = args.clone();
    asSingleHost[0] = "faas-pmem";
    BenchOptions o = BenchOptions.parse(asSingleHost);
    return new BenchOptions(args[0], o.workDir(), o.wordcountMib(), o.terasortRows(), o.jobs(),
        o.splitMib(), o.reduceMib(), o.round(), o.prepareOnly(), o.settings());
  }

  private static void run(BenchOptions o) throws Exception {
    Path work = Paths.get(o.workDir()).toAbsolutePath().resolve(o.mode());
    TestFiles.deleteTree(work);
    Path summaries = Files.createDirectories(work.resolve("summaries"));
    Configuration overrides = new Configuration(false);
    for (String setting : o.settings()) {
      String[] keyValue = setting.split("=", 2);
      overrides.set(keyValue[0], keyValue[1]);
    }
    Configuration hdfs = new Configuration(false);
    hdfs.setLong(DFSConfigKeys.DFS_BLOCK_SIZE_KEY, 128 * MIB);
    if (o.mode().equals("hosts-pmem")) {
      // No block files prepared ahead: on this project's 2-core PVM guest the first touch of a
      // mapped page costs 12-15 us, and preparing costs more than it saves here. A job's small
      // replicas (staging files, history) each take a prepared 128 MiB file and are trimmed to
      // their length, and refilling the pool faults all of it in again, in the volume's quiet
      // seconds, which in a wordcount's long map phase are during the job. Measured, two
      // interleaved rounds of both jobs each: 30-52k DataNode page faults a job with 0 against
      // 72-151k with the simulated hosts' 1, DataNode CPU about 1 s lower, wall time within the
      // noise. A pool of 12, as many files as a job creates replicas per DataNode, cut a
      // terasort's to 2.5k when it was full before the job, but its refilling during a
      // wordcount's map phase went with 11 s more CPU of that job's containers (one run). See
      // the module README.
      hdfs.setInt(PmemDatasetKeys.PREPARED_FILES_KEY, 0);
    }
    // The pool the client's own embedded platform would have for the job (PlatformShape).
    long pool = Math.max(2048, (long) overrides.getInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY,
        FaasConfigKeys.ACTION_MEMORY_MB_DEFAULT) * (overrides.getInt(
        FaasConfigKeys.MAX_CONCURRENCY_KEY, FaasConfigKeys.MAX_CONCURRENCY_DEFAULT) + 1));
    HostsPlatform.Builder builder = HostsPlatform.builder(work.resolve("logs")).hosts(HOSTS)
        .hdfs(hdfs).platform(p -> p.poolMemoryMb(pool));
    if (o.mode().equals("hosts-disk")) {
      builder.diskVolumes(work.resolve("disk"));
    }
    try (HostsPlatform platform = builder.start();
        FileSystem fs = FileSystem.newInstance(platform.hosts().clientConf())) {
      Configuration conf = platform.clientConf();
      conf.set(FaasConfigKeys.STATE_STORE_KEY, "hdfs");
      if (o.mode().equals("hosts-pmem")) {
        conf.set(FaasConfigKeys.STATE_HDFS_STORAGE_POLICY_KEY, "ALL_NVDIMM");
      }
      conf.set(FaasConfigKeys.SUMMARY_DIR_KEY, summaries.toString());
      conf.setInt(Job.COMPLETION_POLL_INTERVAL_KEY, 50);
      for (Map.Entry<String, String> setting : overrides) {
        conf.set(setting.getKey(), setting.getValue());
      }
      // Warm the containers as MapReduceBenchmark does: an untimed wordcount with a map for
      // every activation that may run at once, so that each host has warm containers.
      int warmFiles = conf.getInt(FaasConfigKeys.MAX_CONCURRENCY_KEY,
          FaasConfigKeys.MAX_CONCURRENCY_DEFAULT);
      org.apache.hadoop.fs.Path warmOut = new org.apache.hadoop.fs.Path("/bench/out-warmup");
      wordCount(conf, MapReduceBenchmark.text(fs, warmFiles * MIB, MIB), -1, warmOut);
      fs.delete(warmOut, true);
      DataNodeWarmUp.run(fs, new org.apache.hadoop.fs.Path("/bench/warm-datanodes"),
          (short) HOSTS);
      for (String job : o.jobs()) {
        measure(o, job, platform, conf, fs, summaries);
      }
    } finally {
      TestFiles.deleteTree(work.resolve("disk"));
    }
  }

  /** Runs one timed job and prints its result line and its HOSTS line. */
  private static void measure(BenchOptions o, String job, HostsPlatform platform,
      Configuration conf, FileSystem fs, Path summaries) throws Exception {
    org.apache.hadoop.fs.Path input;
    String size;
    long bytes;
    int maps;
    // The hosts' HDFS blocks are 128 MiB (set in run), as the single-host runs' are.
    long split = MapReduceBenchmark.splitBytes(conf, 128 * MIB);
    switch (job) {
      case "wordcount" -> {
        long fileBytes = (o.splitMib() == 0 ? 32 : o.splitMib()) * MIB;
        bytes = o.wordcountMib() * MIB;
        input = MapReduceBenchmark.text(fs, bytes, fileBytes);
        size = o.wordcountMib() + "MiB";
        maps = MapReduceBenchmark.splits(bytes, fileBytes, split);
      }
      case "terasort" -> {
        bytes = o.terasortRows() * 100;
        input = MapReduceBenchmark.teraInput(fs, platform.hosts().clientConf(),
            o.terasortRows());
        size = o.terasortRows() % 1_000_000 == 0 ? o.terasortRows() / 1_000_000 + "Mrows"
            : o.terasortRows() + "rows";
        maps = MapReduceBenchmark.fileSplits(bytes, split);
      }
      default -> {
        bytes = 1024;
        input = MapReduceBenchmark.text(fs, 1024, 1024);
        size = "1KiB";
        maps = 1;
      }
    }
    int reduces = o.reducers(bytes);
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path("/bench/out-" + job);
    fs.delete(out, true);
    Set<Path> before = summaries(summaries);
    QuietMachine.await();
    TaskRss rss = TaskRss.start();
    ProcessTreeCpu.Snapshot cpuBefore = ProcessTreeCpu.take();
    long t0 = System.nanoTime();
    if (job.equals("terasort")) {
      Configuration tera = new Configuration(conf);
      if (reduces > 0) {
        tera.setInt(MRJobConfig.NUM_REDUCES, reduces);
      }
      MapReduceBenchmark.check(ToolRunner.run(tera, new TeraSort(), new String[] {
          input.toString(), out.toString()}), "terasort");
    } else {
      wordCount(conf, input, reduces, out);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    ProcessTreeCpu.Snapshot cpuAfter = ProcessTreeCpu.take();
    rss.close();
    fs.delete(out, true);
    Set<Path> added = summaries(summaries);
    added.removeAll(before);
    if (added.size() != 1) {
      throw new IOException("expected one new job summary, found " + added);
    }
    Path summary = added.iterator().next();
    List<String> ids = ActivationCost.activationIds(summary);
    double gbs = ActivationCost.gbSeconds(ActivationCost.records(platform.whiskClient(), ids));
    long cold = 0;
    long warm = 0;
    Map<String, Integer> hosts = new TreeMap<>();
    for (JsonElement a : JsonParser.parseString(Files.readString(summary,
        StandardCharsets.UTF_8)).getAsJsonObject().getAsJsonArray("attempts")) {
      JsonObject attempt = a.getAsJsonObject();
      cold += attempt.get("jobCache").getAsString().equals("miss") ? 1 : 0;
      warm += attempt.get("jobCache").getAsString().equals("hit") ? 1 : 0;
      String kind = attempt.get("attemptId").getAsString().contains("_m_") ? "map" : "reduce";
      hosts.merge(kind + "@" + platform.hostOf(attempt.get("activationId").getAsString()), 1,
          Integer::sum);
    }
    Counters counters = counters(conf, summary);
    RunResult result = new RunResult(o.round(), o.mode(), job, size, bytes, maps,
        reduces > 0 ? reduces : conf.getInt(MRJobConfig.NUM_REDUCES, 1), wall, gbs, gbs,
        ProcessTreeCpu.seconds(cpuBefore, cpuAfter), rss.peakMib(TaskRss.Kind.TASK),
        rss.ownPeakMib(TaskRss.Kind.TASK), Double.NaN, cold, warm);
    System.out.println(result.toLine());
    System.out.println(CpuLine.of(o.round(), o.mode(), job, cpuBefore, cpuAfter).toLine());
    List<String> shuffle = new ArrayList<>();
    for (Counter counter : counters.getGroup(FaasCounter.class.getName())) {
      if (counter.getName().contains("SHUFFLE")) {
        shuffle.add(counter.getName() + "=" + counter.getValue());
      }
    }
    System.out.println("HOSTS round=" + o.round() + " mode=" + o.mode() + " job=" + job
        + " activations=" + hosts.toString().replace(" ", "") + " shuffle="
        + String.join(",", shuffle));
    System.out.println(ShuffleLine.of(o.round(), o.mode(), job, summary).toLine());
    System.out.flush();
  }

  /** @return the counters of the job whose summary this is (its coordinator ran here) */
  private static Counters counters(Configuration conf, Path summary) throws Exception {
    String name = summary.getFileName().toString();
    JobID id = JobID.forName(name.substring(0, name.length() - ".json".length()));
    Cluster cluster = new Cluster(conf);
    try {
      Job job = cluster.getJob(id);
      if (job == null) {
        throw new IOException("the faas client no longer knows job " + id);
      }
      return job.getCounters();
    } finally {
      cluster.close();
    }
  }

  private static void wordCount(Configuration conf, org.apache.hadoop.fs.Path in, int reduces,
      org.apache.hadoop.fs.Path out) throws Exception {
    Job job = WordCountJobs.withCombiner(new Configuration(conf), "bench-wordcount", in, out);
    if (reduces > 0) {
      job.setNumReduceTasks(reduces);
    }
    MapReduceBenchmark.check(job.waitForCompletion(false) ? 0 : 1, "wordcount " + in + ": "
        + job.getStatus().getFailureInfo());
  }

  private static Set<Path> summaries(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return new HashSet<>(files.filter(p -> p.getFileName().toString().startsWith("job_")
          && p.getFileName().toString().endsWith(".json")).toList());
    }
  }

}
