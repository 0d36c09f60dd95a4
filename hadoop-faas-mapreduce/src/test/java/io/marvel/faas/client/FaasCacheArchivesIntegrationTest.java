package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.whisk.testing.ActionJars;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.examples.WordCount;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.util.GenericOptionsParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed-cache archives under faas, in container JVMs of the embedded platform: a mapper
 * reads a file inside an unpacked tar.gz through the archive's {@code #fragment} link and calls
 * a class that only a classpath archive (a jar compiled at test time) provides; the output must
 * equal the same job's under {@code local}.
 */
class FaasCacheArchivesIntegrationTest extends FaasClusterHarness {
  static final String GREETING = "marvel.test.archive.Greeting";
  private static final Path INPUT = new Path("/archives/in");
  private static final Path COLORS = new Path("/archives/colors.tgz");
  private static final Path LIB = new Path("/archives/greeting.jar");
  private static final String GREETING_SOURCE = """
      package marvel.test.archive;

      public class Greeting {
        public static String greet(String word) {
          return "hello-" + word;
        }
      }
      """;

  @BeforeAll
  static void writeInputAndArchives(@TempDir java.nio.file.Path tmp) throws IOException {
    write(new Path(INPUT, "a.txt"), "alpha beta\ngamma alpha\n");
    write(new Path(INPUT, "b.txt"), "beta delta\nalpha gamma beta\n");
    put(COLORS, tarGz("colors/colors.txt", "alpha=red\nbeta=green\ngamma=blue\n"));
    put(LIB, ActionJars.compile(tmp, GREETING, GREETING_SOURCE));
  }

  private Job job(Configuration conf, String out) throws Exception {
    Job job = Job.getInstance(conf, "archives");
    job.setJarByClass(getClass());
    job.setMapperClass(ArchiveMapper.class);
    job.setCombinerClass(WordCount.IntSumReducer.class);
    job.setReducerClass(WordCount.IntSumReducer.class);
    job.setOutputKeyClass(Text.class);
    job.setOutputValueClass(IntWritable.class);
    job.setNumReduceTasks(2);
    job.addCacheArchive(new URI(fs.makeQualified(COLORS) + "#dict"));
    job.addArchiveToClassPath(LIB);
    FileInputFormat.addInputPath(job, INPUT);
    FileOutputFormat.setOutputPath(job, new Path(out));
    return job;
  }

  @Test
  void mapperReadsUnpackedArchiveByFragmentAndClassFromClasspathArchive() throws Exception {
    assertSucceeds(job(conf("local"), "/archives/out-local"));
    assertSucceeds(job(embeddedPlatformConf(), "/archives/out-faas"));
    assertSameOutput(new Path("/archives/out-local"), new Path("/archives/out-faas"));
    String output = new String(output(new Path("/archives/out-faas")), StandardCharsets.UTF_8);
    assertTrue(output.contains("hello-alpha:red\t3") && output.contains("hello-delta:none\t1"),
        output);
  }

  /**
   * The greeting class from a jar given with -libjars, staged on the local file system (where
   * Hadoop leaves the jar in place) and on HDFS (where it goes into the job's libjars dir).
   */
  @Test
  void mapperCallsClassFromLibjarsStagedLocallyAndOnHdfs(@TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Path jar = tmp.resolve("greeting.jar");
    try (InputStream in = fs.open(LIB)) {
      Files.copy(in, jar);
    }
    for (boolean localStaging : new boolean[] {true, false}) {
      Configuration conf = embeddedPlatformConf();
      conf.setBoolean(FaasConfigKeys.STAGING_LOCAL_KEY, localStaging);
      new GenericOptionsParser(conf, new String[] {"-libjars", jar.toString()});
      Job job = Job.getInstance(conf, "libjars");
      job.setJarByClass(getClass());
      job.setMapperClass(ArchiveMapper.class);
      job.setReducerClass(WordCount.IntSumReducer.class);
      job.setOutputKeyClass(Text.class);
      job.setOutputValueClass(IntWritable.class);
      job.addCacheArchive(new URI(fs.makeQualified(COLORS) + "#dict"));
      FileInputFormat.addInputPath(job, INPUT);
      Path out = new Path("/archives/libjars-" + localStaging);
      FileOutputFormat.setOutputPath(job, out);
      assertSucceeds(job);
      String output = new String(output(out), StandardCharsets.UTF_8);
      assertTrue(output.contains("hello-alpha:red\t3") && output.contains("hello-delta:none\t1"),
          output);
    }
  }

  private static void put(Path file, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = fs.create(file, true)) {
      out.write(bytes);
    }
  }

  private static byte[] tarGz(String entry, String text) throws IOException {
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
        new GzipCompressorOutputStream(bytes))) {
      TarArchiveEntry tarEntry = new TarArchiveEntry(entry);
      tarEntry.setSize(content.length);
      tar.putArchiveEntry(tarEntry);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  /**
   * Emits ({@code Greeting.greet(word) + ":" + color}, 1), the color looked up in
   * {@code dict/colors/colors.txt} of the working directory, the greeting class loaded from the
   * job's class loader.
   */
  public static class ArchiveMapper extends Mapper<LongWritable, Text, Text, IntWritable> {
    private final Map<String, String> colors = new HashMap<>();
    private Method greet;

    @Override
    protected void setup(Context context) throws IOException {
      for (String line : Files.readAllLines(Paths.get("dict", "colors", "colors.txt"))) {
        String[] pair = line.split("=");
        colors.put(pair[0], pair[1]);
      }
      try {
        greet = Class.forName(GREETING, true, Thread.currentThread().getContextClassLoader())
            .getMethod("greet", String.class);
      } catch (ReflectiveOperationException e) {
        throw new IOException("classpath archive not on the class loader", e);
      }
    }

    @Override
    protected void map(LongWritable key, Text value, Context context)
        throws IOException, InterruptedException {
      for (String word : value.toString().split(" ")) {
        String greeting;
        try {
          greeting = (String) greet.invoke(null, word);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IOException(e);
        }
        context.write(new Text(greeting + ":" + colors.getOrDefault(word, "none")),
            new IntWritable(1));
      }
    }
  }
}
