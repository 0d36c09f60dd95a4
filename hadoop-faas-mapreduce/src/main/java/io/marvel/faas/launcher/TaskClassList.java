package io.marvel.faas.launcher;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.whisk.platform.EmbeddedWhisk;
import io.marvel.whisk.platform.settings.PlatformSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.map.TokenCounterMapper;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.reduce.IntSumReducer;

/**
 * Writes the class list of a task container: the classes a container JVM of the embedded
 * platform loads while it runs a map and a reduce of a small word count with the PMEM store,
 * recorded with the JDK's {@code -XX:DumpLoadedClassList}. The distribution's build runs it
 * ({@code lib/task-classes.lst}); platforms and the task image make their class data archive
 * from it ({@code whisk.platform.container.ClassDataArchive}). Usage:
 * {@code TaskClassList OUTPUT}, with the JVM options Hadoop needs on Java 17 (the containers
 * inherit them).
 */
public final class TaskClassList {
  private TaskClassList() {
  }

  /**
   * @param args the output file
   * @throws Exception if the job fails or a file cannot be written
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: TaskClassList OUTPUT");
      System.exit(2);
    }
    Path out = Path.of(args[0]).toAbsolutePath();
    Path shm = Path.of("/dev/shm");
    Path work = Files.createTempDirectory(Files.isDirectory(shm) ? shm
        : Path.of(System.getProperty("java.io.tmpdir")), "marvel-class-list");
    try {
      Path list = work.resolve("classes.lst");
      record(work, list);
      Files.createDirectories(out.getParent());
      Files.copy(list, out, StandardCopyOption.REPLACE_EXISTING);
      System.out.println("task class list: " + out + ", " + Files.readAllLines(list,
          StandardCharsets.UTF_8).stream().filter(l -> !l.startsWith("#")
          && !l.startsWith("@")).count() + " classes");
    } finally {
      try (Stream<Path> paths = Files.walk(work)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    // Hadoop's file system cache and the platform leave non-daemon threads behind.
    System.exit(0);
  }

  private static void record(Path work, Path list) throws Exception {
    PlatformSettings plain = PlatformSettings.builder(work.resolve("whisk")).classList(null)
        .inheritModuleOptions().build();
    List<String> options = new ArrayList<>(plain.containerJvmOptions());
    options.add("-XX:DumpLoadedClassList=" + list);
    try (EmbeddedWhisk whisk = EmbeddedWhisk.start(plain.toBuilder()
        .containerJvmOptions(options).build())) {
      Path in = Files.createDirectories(work.resolve("in"));
      Files.writeString(in.resolve("words.txt"), "a map and a reduce\nof a word count\n");
      Configuration conf = new Configuration();
      conf.set("mapreduce.framework.name", "faas");
      conf.set("fs.defaultFS", "file:///");
      conf.set("hadoop.tmp.dir", work.resolve("tmp").toString());
      conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, whisk.apiHost().toString());
      conf.set(FaasConfigKeys.OPENWHISK_AUTH_KEY, whisk.authKey());
      conf.set(FaasConfigKeys.STATE_STORE_KEY, "pmem");
      conf.set(FaasConfigKeys.STATE_PMEM_DIR_KEY, work.resolve("pmem").toString());
      conf.set(FaasConfigKeys.SUMMARY_DIR_KEY, work.resolve("summaries").toString());
      // One container runs the map, then the reduce: one JVM writes the list.
      conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, 1);
      Job job = Job.getInstance(conf, "task class list");
      job.setJarByClass(TokenCounterMapper.class);
      job.setMapperClass(TokenCounterMapper.class);
      job.setCombinerClass(IntSumReducer.class);
      job.setReducerClass(IntSumReducer.class);
      job.setOutputKeyClass(Text.class);
      job.setOutputValueClass(IntWritable.class);
      job.setNumReduceTasks(1);
      FileInputFormat.addInputPath(job, new org.apache.hadoop.fs.Path(in.toUri()));
      FileOutputFormat.setOutputPath(job,
          new org.apache.hadoop.fs.Path(work.resolve("out").toUri()));
      if (!job.waitForCompletion(false)) {
        throw new IOException("the word count that records the task class list failed: "
            + job.getStatus().getFailureInfo());
      }
    }
    if (!Files.exists(list)) {
      throw new IOException("no container wrote the class list " + list);
    }
  }
}
