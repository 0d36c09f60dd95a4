package io.marvel.faas.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.settings.FaasSettings;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class PlatformShapeTest {
  static PlatformShape shape(int memoryMb, int concurrency, long idleMs, boolean reuse) {
    Configuration conf = new Configuration(false);
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, memoryMb);
    conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, concurrency);
    conf.setLong(FaasConfigKeys.EMBEDDED_IDLE_CONTAINER_MS_KEY, idleMs);
    conf.setBoolean(FaasConfigKeys.EMBEDDED_REUSE_CONTAINERS_KEY, reuse);
    return PlatformShape.of(FaasSettings.from(conf));
  }

  @Test
  void poolHoldsEveryActivationOfTheJobAndOneMoreAtLeast2048Mb() {
    assertEquals(2048, shape(512, 2, 600_000, true).poolMemoryMb());
    assertEquals(5120, shape(1024, 4, 600_000, true).poolMemoryMb());
  }

  @Test
  void aLargerPoolServesAJobThatNeedsLessOtherSettingsMustBeEqual() {
    PlatformShape running = shape(1024, 4, 600_000, true);
    assertTrue(running.serves(shape(512, 2, 600_000, true)));
    assertFalse(running.serves(shape(1024, 8, 600_000, true)));
    assertFalse(running.serves(shape(1024, 4, 1_000, true)));
    assertFalse(running.serves(shape(1024, 4, 600_000, false)));
  }

  @Test
  void refusalNamesEachDifferingSettingWithBothValuesAndTheFixes() {
    PlatformShape running = shape(1024, 4, 600_000, true);
    assertEquals("the embedded OpenWhisk platform of this JVM (mapreduce.faas.openwhisk.apihost"
        + " = local), one per JVM, runs another job with other platform settings: the container"
        + " pool holds 5120 MB (from mapreduce.faas.action.memory-mb = 1024 and"
        + " mapreduce.faas.max-concurrency = 4), this job needs 6144 MB"
        + " (mapreduce.faas.action.memory-mb = 2048 x (mapreduce.faas.max-concurrency = 2 + 1));"
        + " mapreduce.faas.embedded.idle-container-ms is 600000 for the running platform and"
        + " 1000 for this job; mapreduce.faas.embedded.reuse-containers is true for the running"
        + " platform and false for this job. Give this job the same values, submit it once the"
        + " other job has ended (the platform then restarts with this job's settings), or run it"
        + " in a JVM of its own or on the platform daemon (sbin/start-marvel.sh,"
        + " mapreduce.faas.openwhisk.apihost = http://127.0.0.1:3233, the tarball's default)",
        running.refusal(shape(2048, 2, 1_000, false)));
  }
}
