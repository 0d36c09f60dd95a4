package io.marvel.faas.testing;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.examples.WordCount;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;

/**
 * The word count job of the tests and the benchmark: Hadoop's example {@link WordCount}'s mapper
 * and reducer over text files. Callers change what their case needs (the mapper, the number of
 * reduces) on the job returned.
 */
public final class WordCountJobs {
  private WordCountJobs() {
  }

  /**
   * @param conf the job's configuration (copied by {@link Job#getInstance})
   * @param name the job's name
   * @param in the input file or dir
   * @param out the output dir, which must not exist
   * @return the job, not submitted, without a combiner and with Hadoop's default reduces
   * @throws IOException if the job cannot be created
   */
  public static Job wordCount(Configuration conf, String name, Path in, Path out)
      throws IOException {
    Job job = Job.getInstance(conf, name);
    job.setJarByClass(WordCount.class);
    job.setMapperClass(WordCount.TokenizerMapper.class);
    job.setReducerClass(WordCount.IntSumReducer.class);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(IntWritable.class);
    FileInputFormat.addInputPath(job, in);
    FileOutputFormat.setOutputPath(job, out);
    return job;
  }

  /**
   * @return as {@link #wordCount}, with the reducer also as combiner (as Hadoop's example runs)
   * @throws IOException if the job cannot be created
   */
  public static Job withCombiner(Configuration conf, String name, Path in, Path out)
      throws IOException {
    Job job = wordCount(conf, name, in, out);
    job.setCombinerClass(WordCount.IntSumReducer.class);
    return job;
  }
}
