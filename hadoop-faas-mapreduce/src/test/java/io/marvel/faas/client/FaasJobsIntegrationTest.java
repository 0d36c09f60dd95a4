package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.testing.WordCountJobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.examples.terasort.TeraGen;
import org.apache.hadoop.examples.terasort.TeraSort;
import org.apache.hadoop.examples.terasort.TeraValidate;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.FileOutputFormat;
import org.apache.hadoop.mapred.JobClient;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.MapReduceBase;
import org.apache.hadoop.mapred.OutputCollector;
import org.apache.hadoop.mapred.Partitioner;
import org.apache.hadoop.mapred.Reporter;
import org.apache.hadoop.mapred.RunningJob;
import org.apache.hadoop.util.ToolRunner;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskCounter;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat;
import org.apache.hadoop.mapreduce.lib.map.InverseMapper;
import org.apache.hadoop.mapreduce.lib.map.RegexMapper;
import org.apache.hadoop.mapreduce.lib.output.LazyOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.apache.hadoop.mapreduce.lib.reduce.LongSumReducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Jobs run with faas and with local on the same input must write the same bytes. */
class FaasJobsIntegrationTest extends FaasClusterHarness {
  private static final Path TEXT = new Path("/in/text");

  @BeforeAll
  static void writeInput() throws Exception {
    StringBuilder text = new StringBuilder();
    String[] words = {"alpha", "beta", "gamma", "delta", "pmem", "whisk", "map", "reduce"};
    for (int file = 0; file < 3; file++) {
      text.setLength(0);
      for (int line = 0; line < 2000; line++) {
        text.append(words[(line * 7 + file) % words.length]).append(' ')
            .append(words[(line * 3) % words.length]).append(line % 13).append('\n');
      }
      write(new Path(TEXT, "part" + file + ".txt"), text.toString());
    }
  }

  private Job wordCount(Configuration conf, Path out, int reduces) throws Exception {
    Job job = WordCountJobs.withCombiner(conf, "wordcount", TEXT, out);
    job.setNumReduceTasks(reduces);
    return job;
  }

  @Test
  void wordCountWithCombinerMatchesLocalAndShufflesFromPmem() throws Exception {
    Job local = wordCount(conf("local"), new Path("/out/wc-local"), 2);
    assertTrue(local.waitForCompletion(false));
    Job faas = wordCount(conf("faas"), new Path("/out/wc-faas"), 2);
    assertSucceeds(faas);
    assertSameOutput(new Path("/out/wc-local"), new Path("/out/wc-faas"));
    Counters counters = faas.getCounters();
    assertSameRecordCounters(local.getCounters(), counters);
    long shuffled = counters.findCounter(TaskCounter.REDUCE_SHUFFLE_BYTES).getValue();
    assertTrue(shuffled > 0);
    assertEquals(shuffled, counters.findCounter(FaasCounter.PMEM_SHUFFLE_BYTES).getValue());
    assertEquals(0, counters.findCounter(FaasCounter.HDFS_SHUFFLE_BYTES).getValue());
    assertTrue(counters.findCounter(FaasCounter.JOB_CACHE_HITS).getValue() > 0,
        "later tasks of the job reuse the warm container's cache");
    assertArrayEquals(new String[0], stateLeft(), "state removed when the job ends");
  }

  /**
   * A job's own HDFS client settings shape the files its tasks write, as in a YARN task, whose
   * first file system is made from the job's configuration: in a container the job's first
   * HDFS client was made from the container's, for reading the job's staging dir (on HDFS
   * with the hdfs store, as with any OpenWhisk on other hosts).
   */
  @Test
  void theJobsOwnHdfsSettingsShapeItsOutputFiles() throws Exception {
    Configuration conf = conf("faas");
    conf.set(FaasConfigKeys.STATE_STORE_KEY, "hdfs");
    conf.setInt("dfs.replication", 1);
    conf.setLong("dfs.blocksize", 1 << 20);
    Path out = new Path("/out/wc-own-hdfs-settings");
    assertSucceeds(wordCount(conf, out, 1));
    FileStatus part = fs.getFileStatus(new Path(out, "part-r-00000"));
    assertEquals(1, part.getReplication(), "dfs.replication of the job");
    assertEquals(1 << 20, part.getBlockSize(), "dfs.blocksize of the job");
  }

  @Test
  void summariesOfJobsOlderThanTheMaxAgeAreRemovedWhenAJobEnds() throws Exception {
    String old = "job_faas1000000000_0001";
    java.nio.file.Path oldLog = summaryDir.resolve(old + ".logs").resolve("a.log");
    java.nio.file.Path oldSummary = summaryDir.resolve(old + ".json");
    Files.createDirectories(oldLog.getParent());
    FileTime eightDaysAgo = FileTime.fromMillis(System.currentTimeMillis()
        - TimeUnit.DAYS.toMillis(8));
    for (java.nio.file.Path file : List.of(oldLog, oldSummary)) {
      Files.writeString(file, "old");
      Files.setLastModifiedTime(file, eightDaysAgo);
    }
    Files.setLastModifiedTime(oldLog.getParent(), eightDaysAgo);

    Job faas = wordCount(conf("faas"), new Path("/out/wc-retention"), 1);
    assertSucceeds(faas);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((Files.exists(oldSummary) || Files.exists(oldLog.getParent()))
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertFalse(Files.exists(oldSummary), "a week-old job's summary outlived the default age");
    assertFalse(Files.exists(oldLog.getParent()), "and its task logs");
    assertTrue(Files.exists(summaryDir.resolve(faas.getJobID() + ".json")));
  }

  @Test
  void wordCountThroughHdfsStoreShufflesFromHdfs() throws Exception {
    Configuration faasConf = conf("faas");
    faasConf.set(FaasConfigKeys.STATE_STORE_KEY, "hdfs");
    Job faas = wordCount(faasConf, new Path("/out/wc-hdfs-faas"), 2);
    assertSucceeds(faas);
    Job local = wordCount(conf("local"), new Path("/out/wc-hdfs-local"), 2);
    assertTrue(local.waitForCompletion(false));
    assertSameOutput(new Path("/out/wc-hdfs-local"), new Path("/out/wc-hdfs-faas"));
    Counters counters = faas.getCounters();
    assertEquals(counters.findCounter(TaskCounter.REDUCE_SHUFFLE_BYTES).getValue(),
        counters.findCounter(FaasCounter.HDFS_SHUFFLE_BYTES).getValue());
    assertEquals(0, counters.findCounter(FaasCounter.PMEM_SHUFFLE_BYTES).getValue());
    assertEquals(0, fs.listStatus(new Path("/staging/root/.staging/faas-state")).length,
        "hdfs state removed when the job ends");
  }

  @Test
  void compressedMapOutputAndMoreReducersThanMapsMatchLocal() throws Exception {
    Configuration localConf = conf("local");
    Configuration faasConf = conf("faas");
    for (Configuration c : new Configuration[] {localConf, faasConf}) {
      c.setBoolean("mapreduce.map.output.compress", true);
      c.set("mapreduce.map.output.compress.codec",
          "org.apache.hadoop.io.compress.DefaultCodec");
    }
    Job local = wordCount(localConf, new Path("/out/wcz-local"), 5);
    assertTrue(local.waitForCompletion(false));
    Job faas = wordCount(faasConf, new Path("/out/wcz-faas"), 5);
    assertSucceeds(faas);
    assertSameOutput(new Path("/out/wcz-local"), new Path("/out/wcz-faas"));
    assertSameRecordCounters(local.getCounters(), faas.getCounters());
    assertEquals(5, faas.getTaskReports(org.apache.hadoop.mapreduce.TaskType.REDUCE).length);
  }

  /**
   * Grep as hadoop-mapreduce-examples' Grep does it (its constructor is private, so the two
   * jobs are built here from the same library classes): count regex matches, then sort by count.
   */
  @Test
  void grepMatchesLocal() throws Exception {
    for (String fw : new String[] {"local", "faas"}) {
      Configuration c = conf(fw);
      c.set(RegexMapper.PATTERN, "(gamma|pmem)[0-9]+");
      Job search = Job.getInstance(c, "grep-search");
      search.setJarByClass(RegexMapper.class);
      search.setMapperClass(RegexMapper.class);
      search.setCombinerClass(LongSumReducer.class);
      search.setReducerClass(LongSumReducer.class);
      search.setOutputKeyClass(Text.class);
      search.setOutputValueClass(LongWritable.class);
      search.setOutputFormatClass(SequenceFileOutputFormat.class);
      org.apache.hadoop.mapreduce.lib.input.FileInputFormat.addInputPath(search, TEXT);
      org.apache.hadoop.mapreduce.lib.output.FileOutputFormat.setOutputPath(search,
          new Path("/grep/" + fw + "/counts"));
      assertSucceeds(search);
      Job sort = Job.getInstance(conf(fw), "grep-sort");
      sort.setJarByClass(InverseMapper.class);
      sort.setInputFormatClass(SequenceFileInputFormat.class);
      sort.setMapperClass(InverseMapper.class);
      sort.setNumReduceTasks(1);
      sort.setOutputKeyClass(LongWritable.class);
      sort.setOutputValueClass(Text.class);
      sort.setSortComparatorClass(LongWritable.DecreasingComparator.class);
      org.apache.hadoop.mapreduce.lib.input.FileInputFormat.addInputPath(sort,
          new Path("/grep/" + fw + "/counts"));
      org.apache.hadoop.mapreduce.lib.output.FileOutputFormat.setOutputPath(sort,
          new Path("/grep/" + fw + "/out"));
      assertSucceeds(sort);
    }
    assertSameOutput(new Path("/grep/local/out"), new Path("/grep/faas/out"));
  }

  @Test
  void teraGenMapOnlyTeraSortAndTeraValidateMatchLocal() throws Exception {
    for (String fw : new String[] {"local", "faas"}) {
      Configuration c = conf(fw);
      c.setInt("mapreduce.job.maps", 3);
      assertEquals(0, ToolRunner.run(c, new TeraGen(),
          new String[] {"20000", "/tera/" + fw + "/gen"}));
      c = conf(fw);
      c.setInt("mapreduce.job.reduces", 3);
      assertEquals(0, ToolRunner.run(c, new TeraSort(),
          new String[] {"/tera/" + fw + "/gen", "/tera/" + fw + "/sorted"}));
      assertEquals(0, ToolRunner.run(conf(fw), new TeraValidate(),
          new String[] {"/tera/" + fw + "/sorted", "/tera/" + fw + "/report"}));
    }
    // LocalJobRunner runs TeraGen's generator as one map; faas runs the 3 maps asked for.
    assertSameBytes(new Path("/tera/local/gen"), new Path("/tera/faas/gen"));
    assertSameOutput(new Path("/tera/local/sorted"), new Path("/tera/faas/sorted"));
    String report = new String(output(new Path("/tera/faas/report")),
        java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(report.startsWith("checksum"), report);
    assertEquals(new String(output(new Path("/tera/local/report")),
        java.nio.charset.StandardCharsets.UTF_8), report, "teravalidate report");
  }

  @Test
  void oldApiJobWithCustomPartitionerMatchesLocal() throws Exception {
    RunningJob local = JobClient.runJob(oldApiJob(conf("local"), "/out/old-local"));
    assertTrue(local.isSuccessful());
    RunningJob faas = JobClient.runJob(oldApiJob(conf("faas"), "/out/old-faas"));
    assertTrue(faas.isSuccessful());
    assertSameOutput(new Path("/out/old-local"), new Path("/out/old-faas"));
    byte[] vowels = fs.open(new Path("/out/old-faas/part-00000")).readAllBytes();
    for (String line : new String(vowels, java.nio.charset.StandardCharsets.UTF_8)
        .split("\n")) {
      assertTrue("aeiou".indexOf(line.charAt(0)) >= 0, "partition 0 holds vowels: " + line);
    }
  }

  @Test
  void multipleOutputsMatchLocal() throws Exception {
    for (String fw : new String[] {"local", "faas"}) {
      Job job = wordCount(conf(fw), new Path("/out/mo-" + fw), 2);
      job.setReducerClass(SplitByLetterReducer.class);
      MultipleOutputs.addNamedOutput(job, "vowels", TextOutputFormat.class, Text.class,
          IntWritable.class);
      MultipleOutputs.addNamedOutput(job, "others", TextOutputFormat.class, Text.class,
          IntWritable.class);
      LazyOutputFormat.setOutputFormatClass(job, TextOutputFormat.class);
      assertSucceeds(job);
    }
    for (String name : new String[] {"vowels-r-00000", "vowels-r-00001", "others-r-00000",
        "others-r-00001"}) {
      byte[] local = fs.open(new Path("/out/mo-local", name)).readAllBytes();
      assertTrue(local.length > 0, name);
      assertArrayEquals(local, fs.open(new Path("/out/mo-faas", name)).readAllBytes(), name);
    }
  }

  /** Sums counts and writes words starting with a vowel and the others to two named outputs. */
  public static class SplitByLetterReducer
      extends org.apache.hadoop.mapreduce.Reducer<Text, IntWritable, Text, IntWritable> {
    private MultipleOutputs<Text, IntWritable> outputs;

    @Override
    protected void setup(Context context) {
      outputs = new MultipleOutputs<>(context);
    }

    @Override
    protected void reduce(Text key, Iterable<IntWritable> values, Context context)
        throws IOException, InterruptedException {
      int sum = 0;
      for (IntWritable v : values) {
        sum += v.get();
      }
      outputs.write("aeiou".indexOf(key.charAt(0)) >= 0 ? "vowels" : "others", key,
          new IntWritable(sum));
    }

    @Override
    protected void cleanup(Context context) throws IOException, InterruptedException {
      outputs.close();
    }
  }

  private static JobConf oldApiJob(Configuration conf, String out) {
    JobConf job = new JobConf(conf, OldApiTokenCount.class);
    job.setJobName("old-api-token-count");
    job.setMapperClass(OldApiTokenCount.class);
    job.setReducerClass(OldApiSum.class);
    job.setPartitionerClass(VowelPartitioner.class);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(LongWritable.class);
    job.setNumReduceTasks(2);
    FileInputFormat.setInputPaths(job, TEXT);
    FileOutputFormat.setOutputPath(job, new Path(out));
    return job;
  }

  /** Old-API mapper: emits (token, 1). */
  public static class OldApiTokenCount extends MapReduceBase
      implements org.apache.hadoop.mapred.Mapper<LongWritable, Text, Text, LongWritable> {
    @Override
    public void map(LongWritable key, Text value, OutputCollector<Text, LongWritable> out,
        Reporter reporter) throws IOException {
      for (String token : value.toString().split(" ")) {
        out.collect(new Text(token), new LongWritable(1));
      }
    }
  }

  /** Old-API reducer: sums. */
  public static class OldApiSum extends MapReduceBase
      implements org.apache.hadoop.mapred.Reducer<Text, LongWritable, Text, LongWritable> {
    @Override
    public void reduce(Text key, Iterator<LongWritable> values,
        OutputCollector<Text, LongWritable> out, Reporter reporter) throws IOException {
      long sum = 0;
      while (values.hasNext()) {
        sum += values.next().get();
      }
      out.collect(key, new LongWritable(sum));
    }
  }

  /** Words starting with a vowel go to partition 0, the rest to the last partition. */
  public static class VowelPartitioner implements Partitioner<Text, LongWritable> {
    @Override
    public void configure(JobConf job) {
    }

    @Override
    public int getPartition(Text key, LongWritable value, int partitions) {
      return "aeiou".indexOf(key.charAt(0)) >= 0 ? 0 : partitions - 1;
    }
  }
}
