package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.protocol.TaskHost;
import io.marvel.faas.testing.ReduceGate;
import io.marvel.faas.testing.WordCountJobs;
import io.marvel.hdfs.pmem.DataNodeRestarts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.MiniDFSCluster.DataNodeProperties;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobCounter;
import org.apache.hadoop.mapreduce.TaskCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jobs with the hdfs store on three DataNodes with {@code [NVDIMM]} volumes (in-JVM tasks): the
 * output matches {@code local}, the shuffle bytes are counted by where they came from, each
 * attempt's host is in the summary, and losing the DataNode that holds map outputs after the
 * map stage does not fail the job: with one replica the lost maps run again, with two none does.
 */
class HdfsStateJobsIntegrationTest extends FaasClusterHarness {
  private static final Path INPUT = new Path("/hdfs-state/in");
  private static final Path STATE = new Path("/hdfs-state/state");
  private static final int MAPS = 4;
  private DataNodeProperties stopped;

  /** Hides the harness's one-DataNode cluster: three, each with a PMEM and a disk volume. */
  @BeforeAll
  static void startCluster() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, Paths.get(
        System.getProperty("java.io.tmpdir"), "minidfs-" + UUID.randomUUID()).toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(3).storagesPerDatanode(2)
        .storageTypes(new StorageType[] {StorageType.NVDIMM, StorageType.DISK}).build();
    cluster.waitActive();
    fs = cluster.getFileSystem();
    for (int i = 0; i < MAPS; i++) {
      write(new Path(INPUT, "part-" + i + ".txt"), ("alpha beta gamma delta " + i + "\n")
          .repeat(200 + 50 * i));
    }
  }

  @AfterEach
  void restartStoppedDataNode() throws IOException, InterruptedException {
    if (stopped != null) {
      DataNodeRestarts.restartKeepingPorts(cluster, stopped);
      stopped = null;
    }
  }

  private Configuration hdfsStateConf(int replication) {
    Configuration conf = conf("faas");
    conf.set(FaasConfigKeys.STATE_STORE_KEY, "hdfs");
    conf.set(FaasConfigKeys.STATE_HDFS_DIR_KEY, STATE.toString());
    conf.setInt(FaasConfigKeys.STATE_HDFS_REPLICATION_KEY, replication);
    return conf;
  }

  private static Job job(Configuration conf, String out) throws IOException {
    Job job = WordCountJobs.wordCount(conf, "hdfs-state", INPUT, new Path(out));
    job.setNumReduceTasks(2);
    job.setOutputFormatClass(ReduceGate.class);
    return job;
  }

  private Path runLocal(String out) throws Exception {
    Job local = job(conf("local"), out);
    assertTrue(local.waitForCompletion(false));
    return new Path(out);
  }

  private static long counter(Counters counters, Enum<?> counter) {
    return counters.findCounter(counter).getValue();
  }

  @Test
  void wordCountMatchesLocalCountingShuffleBytesByOriginAndNamingEachAttemptsHost()
      throws Exception {
    Job faas = job(hdfsStateConf(2), "/hdfs-state/out-wc");
    assertSucceeds(faas);

    assertSameOutput(runLocal("/hdfs-state/out-wc-local"), new Path("/hdfs-state/out-wc"));
    Counters counters = faas.getCounters();
    long shuffled = counter(counters, TaskCounter.REDUCE_SHUFFLE_BYTES);
    assertTrue(shuffled > 0);
    // Every MiniDFSCluster DataNode is at 127.0.0.1: all reads are local here.
    assertTrue(counter(counters, FaasCounter.LOCAL_SHUFFLE_BYTES) >= shuffled,
        "local " + counter(counters, FaasCounter.LOCAL_SHUFFLE_BYTES) + " of " + shuffled);
    assertEquals(0, counter(counters, FaasCounter.REMOTE_SHUFFLE_BYTES));
    for (JsonElement attempt : summary(faas).getAsJsonArray("attempts")) {
      assertEquals(TaskHost.name(), attempt.getAsJsonObject().get("host").getAsString());
    }
  }

  @Test
  void losingTheDataNodeOfMapOutputsWithOneReplicaRunsTheLostMapsAgain() throws Exception {
    Job faas = runLosingADataNode(1, "/hdfs-state/out-lost1");

    assertSameOutput(runLocal("/hdfs-state/out-lost1-local"), new Path("/hdfs-state/out-lost1"));
    Counters counters = faas.getCounters();
    assertTrue(counter(counters, JobCounter.NUM_FAILED_MAPS) > 0,
        "the lost maps' attempts count as failed, as YARN counts them after fetch failures");
    assertEquals(MAPS + counter(counters, JobCounter.NUM_FAILED_MAPS),
        counter(counters, JobCounter.TOTAL_LAUNCHED_MAPS));
    assertEquals(0, counter(counters, JobCounter.NUM_FAILED_REDUCES),
        "a reduce that lost map outputs is retried once they are there again, not failed");
    assertEquals(0, fs.listStatus(STATE).length, "the job's state is removed");
  }

  @Test
  void losingADataNodeWithTwoReplicasRunsNoMapAgain() throws Exception {
    Job faas = runLosingADataNode(2, "/hdfs-state/out-lost2");

    assertSameOutput(runLocal("/hdfs-state/out-lost2-local"), new Path("/hdfs-state/out-lost2"));
    Counters counters = faas.getCounters();
    assertEquals(0, counter(counters, JobCounter.NUM_FAILED_MAPS));
    assertEquals(MAPS, counter(counters, JobCounter.TOTAL_LAUNCHED_MAPS));
    assertEquals(0, counter(counters, JobCounter.NUM_FAILED_REDUCES));
  }

  /**
   * Runs the job with its reducers held before their shuffle, stops the DataNode that holds
   * most map outputs once all are published, then lets the reducers read.
   */
  private Job runLosingADataNode(int replication, String out) throws Exception {
    java.nio.file.Path gate = pmemDir.resolve("gate");
    Configuration conf = hdfsStateConf(replication);
    conf.set(ReduceGate.GATE_KEY, gate.toString());
    Job faas = job(conf, out);
    faas.submit();
    Path jobState = new Path(STATE, faas.getJobID().toString());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (published(jobState) < MAPS || faas.mapProgress() < 1f) {
      assertTrue(System.nanoTime() < deadline, "maps did not publish their outputs");
      Thread.sleep(50);
    }
    stopped = cluster.stopDataNode(holderOfMostOutputs(jobState));
    Files.createFile(gate);
    assertSucceeds(faas);
    return faas;
  }

  private static int published(Path jobState) throws IOException {
    if (!fs.exists(jobState)) {
      return 0;
    }
    return fs.listStatus(jobState, p -> p.getName().endsWith(".out")).length;
  }

  /** @return the index of the DataNode holding replicas of the most map outputs */
  private static int holderOfMostOutputs(Path jobState) throws IOException {
    Map<Integer, Integer> held = new HashMap<>();
    for (FileStatus entry : fs.listStatus(jobState, p -> p.getName().endsWith(".out"))) {
      for (BlockLocation block : fs.getFileBlockLocations(entry, 0, entry.getLen())) {
        for (String name : block.getNames()) {
          int port = Integer.parseInt(name.substring(name.lastIndexOf(':') + 1));
          for (int i = 0; i < cluster.getDataNodes().size(); i++) {
            DataNode dn = cluster.getDataNodes().get(i);
            if (dn.getXferPort() == port) {
              held.merge(i, 1, Integer::sum);
            }
          }
        }
      }
    }
    return held.entrySet().stream().max(Map.Entry.comparingByValue(Comparator.naturalOrder()))
        .orElseThrow().getKey();
  }

  private JsonObject summary(Job job) throws IOException {
    return JsonParser.parseString(Files.readString(summaryDir.resolve(job.getJobID()
        + ".json"))).getAsJsonObject();
  }
}
