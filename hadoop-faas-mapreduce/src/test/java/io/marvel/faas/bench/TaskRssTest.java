package io.marvel.faas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskRssTest {
  @Test
  void tellsTaskJvmsAndTheAppMasterFromTheShellsThatStartThem() {
    assertEquals(Optional.of(TaskRss.Kind.TASK), TaskRss.classify(List.of("/bin/java",
        "-Xmx820m", "org.apache.hadoop.mapred.YarnChild", "127.0.0.1", "35927",
        "attempt_1_0001_m_000000_0", "2")));
    assertEquals(Optional.of(TaskRss.Kind.TASK), TaskRss.classify(List.of(
        "/usr/lib/jvm/java-17/bin/java", "-cp", "x.jar",
        "io.marvel.whisk.platform.runtime.RuntimeMain")));
    assertEquals(Optional.of(TaskRss.Kind.APP_MASTER), TaskRss.classify(List.of("java",
        "-Xmx1024m", "org.apache.hadoop.mapreduce.v2.app.MRAppMaster")));
    assertEquals(Optional.empty(), TaskRss.classify(List.of("/bin/bash", "-c",
        "/bin/java org.apache.hadoop.mapred.YarnChild 127.0.0.1 1 attempt 2")));
    assertEquals(Optional.empty(), TaskRss.classify(List.of("/bin/java", "-cp", "x",
        "io.marvel.faas.bench.MapReduceBenchmark")));
    assertEquals(Optional.empty(), TaskRss.classify(List.of()));
  }

  @Test
  void readsThePeakResidentSetFromTheStatusFile() {
    String status = "Name:\tjava\nVmPeak:\t 3743188 kB\nVmSize:\t 3743188 kB\n"
        + "VmHWM:\t  240888 kB\nVmRSS:\t  200000 kB\n";
    assertEquals(240888, TaskRss.vmHwmKib(status));
    assertEquals(-1, TaskRss.vmHwmKib("Name:\tkthreadd\nState:\tS (sleeping)\n"));
    // Without shared memory: the mapped /dev/shm files of the emulated PMEM store.
    assertEquals(230000, TaskRss.ownRssKib(status + "RssAnon:\t  200000 kB\n"
        + "RssFile:\t   30000 kB\nRssShmem:\t  500000 kB\n"));
    assertEquals(-1, TaskRss.ownRssKib(status));
    assertEquals("unexpected VmHWM line: VmHWM:\t12 MB", assertThrows(
        IllegalArgumentException.class, () -> TaskRss.vmHwmKib("VmHWM:\t12 MB\n")).getMessage());
  }
}
