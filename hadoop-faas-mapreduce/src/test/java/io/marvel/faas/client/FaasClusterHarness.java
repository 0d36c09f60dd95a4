package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.testing.JobOutputs;
import io.marvel.faas.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.TaskCounter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * Base of the faas integration tests: one MiniDFSCluster for the class, a fresh PMEM state dir
 * under /dev/shm per test (removed after), and helpers to run the same job with {@code local}
 * and {@code faas} and compare what they wrote.
 */
@Tag("integration")
abstract class FaasClusterHarness {
  static MiniDFSCluster cluster;
  static FileSystem fs;
  Path pmemDir;
  Path summaryDir;

  @BeforeAll
  static void startCluster() throws IOException {
    Configuration conf = new Configuration();
    Path base = Paths.get(System.getProperty("java.io.tmpdir"),
        "minidfs-" + UUID.randomUUID());
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    fs = cluster.getFileSystem();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @BeforeEach
  void createStateDir() throws IOException {
    pmemDir = Files.createDirectories(Paths.get("/dev/shm", "faas-it-" + UUID.randomUUID()));
    summaryDir = Files.createTempDirectory("faas-summary-");
  }

  @AfterEach
  void removeStateDir() throws IOException {
    TestFiles.deleteTree(pmemDir);
    TestFiles.deleteTree(summaryDir);
  }

  /**
   * @return a client configuration for the cluster and the given framework, with the faas
   *     launcher in-jvm
   */
  Configuration conf(String framework) {
    Configuration conf = new Configuration(cluster.getConfiguration(0));
    conf.set(MRConfig.FRAMEWORK_NAME, framework);
    conf.set(FaasConfigKeys.STATE_PMEM_DIR_KEY, pmemDir.toString());
    conf.set(FaasConfigKeys.SUMMARY_DIR_KEY, summaryDir.toString());
    // Fast by default; tests of the OpenWhisk path switch to the embedded platform.
    conf.set(FaasConfigKeys.LAUNCHER_KEY, "in-jvm");
    conf.set("mapreduce.jobtracker.staging.root.dir", "/staging");
    conf.set("yarn.app.mapreduce.am.staging-dir", "/staging");
    return conf;
  }

  /**
   * @return a faas client configuration that runs tasks through OpenWhisk's REST API on the
   *     embedded platform, whose containers are separate JVMs
   */
  Configuration embeddedPlatformConf() {
    Configuration conf = conf("faas");
    conf.set(FaasConfigKeys.LAUNCHER_KEY, "openwhisk");
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, "local");
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, 512);
    conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, 2);
    return conf;
  }

  /** Writes two small text files (two maps, 12 words) into {@code dir}. */
  static void writeTwelveWords(org.apache.hadoop.fs.Path dir) throws IOException {
    write(new org.apache.hadoop.fs.Path(dir, "a.txt"), "one two three\nfour five six\n");
    write(new org.apache.hadoop.fs.Path(dir, "b.txt"),
        "seven eight nine\nten eleven twelve\n");
  }

  static void write(org.apache.hadoop.fs.Path file, String text) throws IOException {
    try (FSDataOutputStream out = fs.create(file, true)) {
      out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** @return the bytes of every part file in the dir, concatenated in name order */
  static byte[] output(org.apache.hadoop.fs.Path dir) throws IOException {
    return JobOutputs.partFiles(fs, dir);
  }

  static void assertSameOutput(org.apache.hadoop.fs.Path local, org.apache.hadoop.fs.Path faas)
      throws IOException {
    assertSameBytes(local, faas);
    assertEquals(fs.listStatus(local, p -> p.getName().startsWith("part-")).length,
        fs.listStatus(faas, p -> p.getName().startsWith("part-")).length, "part file count");
  }

  /** Compares the concatenated part files only, for jobs whose split count differs. */
  static void assertSameBytes(org.apache.hadoop.fs.Path local, org.apache.hadoop.fs.Path faas)
      throws IOException {
    byte[] expected = output(local);
    assertTrue(expected.length > 0, "local run wrote no output in " + local);
    assertEquals(new String(expected, java.nio.charset.StandardCharsets.ISO_8859_1),
        new String(output(faas), java.nio.charset.StandardCharsets.ISO_8859_1),
        "faas output differs from local");
  }

  static void assertSameRecordCounters(Counters local, Counters faas) {
    for (TaskCounter c : new TaskCounter[] {TaskCounter.MAP_INPUT_RECORDS,
        TaskCounter.MAP_OUTPUT_RECORDS, TaskCounter.REDUCE_INPUT_GROUPS,
        TaskCounter.REDUCE_OUTPUT_RECORDS}) {
      assertEquals(local.findCounter(c).getValue(), faas.findCounter(c).getValue(), c.name());
    }
  }

  static void assertSucceeds(org.apache.hadoop.mapreduce.Job job) throws Exception {
    boolean ok = job.waitForCompletion(false);
    assertTrue(ok, () -> "job " + job.getJobID() + " failed: " + failureInfo(job));
  }

  static String failureInfo(org.apache.hadoop.mapreduce.Job job) {
    return JobOutputs.failureInfo(job);
  }

  /** @return names of what is left in the PMEM state dir */
  String[] stateLeft() throws IOException {
    try (Stream<Path> files = Files.list(pmemDir)) {
      return files.map(p -> p.getFileName().toString()).toArray(String[]::new);
    }
  }
}
