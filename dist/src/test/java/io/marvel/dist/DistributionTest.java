package io.marvel.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball as an operator uses it: unpack, start the single-node cluster, run jobs with
 * {@code bin/hadoop jar}, check, stop, and nothing is left behind.
 */
@Tag("integration")
class DistributionTest {
  /** The [NVDIMM] data dir the tarball ships: files of the data dir, on disk. */
  private static final String DEFAULT_PMEM_DIR = "[NVDIMM]${marvel.data.dir}/pmem/dn";
  private static final String EXAMPLES =
      "share/hadoop/mapreduce/hadoop-mapreduce-examples-3.4.2.jar";

  @TempDir
  Path dir;

  @Test
  void aSingleNodeClusterRunsWordcountAndTerasortAndStopsCleanly() throws Exception {
    List<ProcessHandle> left;
    try (UnpackedMarvel marvel = UnpackedMarvel.unpack(dir)) {
      UnpackedMarvel.Result start = marvel.run(240, "sbin/start-marvel.sh");
      assertEquals(0, start.exitCode(), start.output());
      assertTrue(start.output().contains("Marvel is running"), start.output());
      assertEquals(0, marvel.run(240, "sbin/start-marvel.sh").exitCode(), "start is idempotent");

      Path text = dir.resolve("words.txt");
      StringBuilder words = new StringBuilder();
      Map<String, Integer> expected = new TreeMap<>();
      for (int i = 0; i < 5000; i++) {
        String word = "w" + (i * 7919 % 97);
        words.append(word).append(i % 10 == 9 ? '\n' : ' ');
        expected.merge(word, 1, Integer::sum);
      }
      Files.writeString(text, words);
      ok(marvel.run(60, "bin/hdfs", "dfs", "-put", text.toString(), "/words.txt"));
      ok(marvel.run(300, "bin/hadoop", "jar", EXAMPLES, "wordcount", "/words.txt", "/wc"));
      String counts = ok(marvel.run(60, "bin/hdfs", "dfs", "-cat", "/wc/part-r-00000"));
      Map<String, Integer> actual = new TreeMap<>();
      for (String line : counts.strip().split("\n")) {
        String[] kv = line.split("\t");
        actual.put(kv[0], Integer.parseInt(kv[1]));
      }
      assertEquals(expected, actual);

      ok(marvel.run(300, "bin/hadoop", "jar", EXAMPLES, "teragen", "20000", "/tera-in"));
      ok(marvel.run(300, "bin/hadoop", "jar", EXAMPLES, "terasort", "/tera-in", "/tera-out"));
      ok(marvel.run(300, "bin/hadoop", "jar", EXAMPLES, "teravalidate", "/tera-out",
          "/tera-check"));
      String report = ok(marvel.run(60, "bin/hdfs", "dfs", "-cat", "/tera-check/part-r-00000"));
      assertTrue(report.contains("checksum") && !report.contains("misorder")
          && !report.contains("error"), report);

      String fsck = ok(marvel.run(60, "bin/hdfs", "fsck", "/"));
      assertTrue(fsck.contains("is HEALTHY"), fsck);
      ok(marvel.run(60, "bin/hdfs", "cacheadmin", "-addPool", "hot-data"));
      String pools = ok(marvel.run(60, "bin/hdfs", "cacheadmin", "-listPools"));
      assertTrue(pools.contains("hot-data"), pools);
      String volumes = ok(marvel.run(60, "bin/hdfs", "diskbalancer", "-report"));
      assertTrue(volumes.contains("Processing report command"), volumes);
      String check = ok(marvel.run(60, "bin/marvel", "check"));
      assertTrue(check.contains("everything is in order"), check);
      assertTrue(check.contains("[ OK ] DataNode PMEM dir " + marvel.home().resolve("data/pmem/dn")
          + ": mapped with libpmem, is_pmem=false (persisting with msync"), check);

      UnpackedMarvel.Result stop = marvel.run(120, "sbin/stop-marvel.sh");
      assertEquals(0, stop.exitCode(), stop.output());
      left = marvel.processes();
      assertTrue(left.isEmpty(), "processes left: " + left);
      Path store = marvel.pmemDir().resolve("faas");
      try (var jobs = Files.list(store)) {
        assertEquals(List.of(), jobs.toList(), "PMEM state of finished jobs is removed");
      }

      // A reboot empties /dev/shm; the default install keeps its HDFS blocks on disk.
      marvel.clearPmemDir();
      ok(marvel.run(240, "sbin/start-marvel.sh"));
      assertTrue(ok(marvel.run(60, "bin/hdfs", "dfs", "-cat", "/words.txt"))
          .contains(words), "the file written before the reboot is intact");
      assertEquals(0, marvel.run(120, "sbin/stop-marvel.sh").exitCode());
    }
  }

  @Test
  void aStartThatFindsTheDataNodeDirGoneNamesItAndStartsNothing() throws Exception {
    try (UnpackedMarvel marvel = UnpackedMarvel.unpack(dir)) {
      Path ramDir = marvel.pmemDir().resolve("dn");
      marvel.edit("etc/hadoop/hdfs-site.xml", DEFAULT_PMEM_DIR, "[NVDIMM]" + ramDir);
      String start = ok(marvel.run(240, "sbin/start-marvel.sh"));
      assertTrue(start.contains("[ OK ] DataNode PMEM dir " + ramDir) && start.contains(
          "on tmpfs, which is RAM: its HDFS blocks are lost at a reboot or power cut"), start);
      Path text = Files.writeString(dir.resolve("kept.txt"), "kept\n");
      ok(marvel.run(60, "bin/hdfs", "dfs", "-put", text.toString(), "/kept.txt"));
      assertEquals(0, marvel.run(120, "sbin/stop-marvel.sh").exitCode());

      marvel.clearPmemDir();
      UnpackedMarvel.Result restart = marvel.run(240, "sbin/start-marvel.sh");
      assertEquals(1, restart.exitCode(), restart.output());
      assertTrue(restart.output().contains("the DataNode data dir " + ramDir + " ([NVDIMM]"
          + ramDir + " in dfs.datanode.data.dir) is gone, and with it the blocks it held")
          && restart.output().contains("Nothing was started"), restart.output());
      assertTrue(marvel.processes().isEmpty(), "processes left: " + marvel.processes());
    }
  }

  @Test
  void brokenConfigurationsAreExplained() throws Exception {
    try (UnpackedMarvel marvel = UnpackedMarvel.unpack(dir)) {
      Path blocker = Files.createFile(marvel.pmemDir().resolve("not-a-dir"));
      marvel.edit("etc/hadoop/hdfs-site.xml", DEFAULT_PMEM_DIR, "[NVDIMM]" + blocker + "/dn");
      UnpackedMarvel.Result start = marvel.run(120, "sbin/start-marvel.sh");
      assertEquals(1, start.exitCode(), start.output());
      assertTrue(start.output().contains("[FAIL] DataNode PMEM dir " + blocker + "/dn")
          && start.output().contains("cannot create the directory"), start.output());
      assertTrue(marvel.processes().isEmpty(), "a refused start starts nothing");

      marvel.edit("etc/hadoop/mapred-site.xml", "</configuration>",
          "<property><name>mapreduce.faas.openwhisk.auth</name>"
          + "<value>23bc46b1-71f6-4ed5-8c54-816aa4f8c502:" + "x".repeat(64) + "</value>"
          + "</property></configuration>");
      ok(marvel.run(120, "bin/marvel", "whisk", "start"));
      String wrongKey = marvel.run(60, "bin/marvel", "check").output();
      assertTrue(wrongKey.contains("401") && wrongKey.contains("check the auth key"), wrongKey);

      Path lib = marvel.home().resolve("lib/native/libmarvelpmem.so");
      Files.write(lib, new byte[] {0x7f, 'E', 'L', 'F'});
      UnpackedMarvel.Result noPmem = marvel.run(60, "bin/marvel", "check", "--config-only");
      assertEquals(1, noPmem.exitCode(), noPmem.output());
      assertTrue(noPmem.output().contains("[FAIL] libpmem")
          && noPmem.output().contains("apt-get install libpmem1"), noPmem.output());
    }
  }

  private static String ok(UnpackedMarvel.Result result) {
    assertEquals(0, result.exitCode(), result.output());
    return result.output();
  }
}
