package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.protocol.FaasCounter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.examples.WordCount;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskCounter;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
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
    Job job = Job.getInstance(conf, "wordcount");
    job.setJarByClass(WordCount.class);
    job.setMapperClass(WordCount.TokenizerMapper.class);
    job.setCombinerClass(WordCount.IntSumReducer.class);
    job.setReducerClass(WordCount.IntSumReducer.class);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(IntWritable.class);
    job.setNumReduceTasks(reduces);
    FileInputFormat.addInputPath(job, TEXT);
    FileOutputFormat.setOutputPath(job, out);
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
}
