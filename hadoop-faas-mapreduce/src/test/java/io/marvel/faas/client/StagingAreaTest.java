package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.settings.FaasSettings;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeys;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobID;
import org.junit.jupiter.api.Test;

class StagingAreaTest {
  private static final String SHARED = "hdfs://127.0.0.1:1/tmp/hadoop-yarn/staging/alice/.staging";

  private static Configuration conf() {
    Configuration conf = new Configuration(false);
    conf.set(CommonConfigurationKeys.FS_DEFAULT_NAME_KEY, "hdfs://127.0.0.1:1");
    conf.set("hadoop.tmp.dir", "/var/tmp/hadoop-alice");
    return conf;
  }

  @Test
  void theEmbeddedPlatformWithPmemStateStagesLocally() throws IOException {
    assertEquals("file:/var/tmp/hadoop-alice/faas-staging/alice/.staging",
        StagingArea.of(conf(), "alice").toString());
  }

  @Test
  void theInJvmLauncherStagesLocallyWhateverTheApiHost() throws IOException {
    Configuration conf = conf();
    conf.set(FaasConfigKeys.LAUNCHER_KEY, "in-jvm");
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, "https://whisk.example.com");
    assertTrue(StagingArea.of(conf, "alice").toString().startsWith("file:/"));
  }

  @Test
  void activationsElsewhereOrTheHdfsStoreStageOnTheDefaultFileSystem() throws IOException {
    Configuration remote = conf();
    remote.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, "https://whisk.example.com");
    assertEquals(SHARED, StagingArea.of(remote, "alice").toString());

    Configuration hdfsStore = conf();
    hdfsStore.set(FaasConfigKeys.STATE_STORE_KEY, "hdfs");
    assertEquals(SHARED, StagingArea.of(hdfsStore, "alice").toString());

    Configuration optedOut = conf();
    optedOut.setBoolean(FaasConfigKeys.STAGING_LOCAL_KEY, false);
    assertEquals(SHARED, StagingArea.of(optedOut, "alice").toString());
  }

  @Test
  void invalidSettingsAreNamed() {
    Configuration conf = conf();
    conf.set(FaasConfigKeys.STATE_STORE_KEY, "tape");
    IOException e = assertThrows(IOException.class, () -> StagingArea.of(conf, "alice"));
    assertEquals("invalid faas setting: mapreduce.faas.state.store = 'tape' is not a state"
        + " store; allowed: pmem, hdfs", e.getMessage());
  }

  /** The staging dir is asked for first, whichever setting is wrong. */
  @Test
  void aBadValueOfAnotherSettingIsNotCalledAStagingProblem() {
    Configuration conf = conf();
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, 64);
    IOException e = assertThrows(IOException.class, () -> StagingArea.of(conf, "alice"));
    assertEquals("invalid faas setting: mapreduce.faas.action.memory-mb = 64 is out of range;"
        + " allowed: 128 to 8192", e.getMessage());
  }

  @Test
  void aLocallyStagedJobWhoseActivationsRunElsewhereIsRefused() throws IOException {
    Configuration job = conf();
    job.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, "https://whisk.example.com");
    Path submitDir = new Path("file:/var/tmp/hadoop-alice/faas-staging/alice/.staging/job_1");
    FileSystem local = FileSystem.getLocal(job);
    JobID id = new JobID("faas1", 1);

    IOException e = assertThrows(IOException.class, () -> StagingArea.checkReachable(id,
        submitDir, local, FaasSettings.from(job), job));
    assertTrue(e.getMessage().contains("https://whisk.example.com")
        && e.getMessage().contains(FaasConfigKeys.STAGING_LOCAL_KEY), e.getMessage());

    StagingArea.checkReachable(id, submitDir, local, FaasSettings.from(conf()), conf());
    Configuration localFs = conf();
    localFs.set(CommonConfigurationKeys.FS_DEFAULT_NAME_KEY, "file:///");
    localFs.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, "https://whisk.example.com");
    StagingArea.checkReachable(id, submitDir, local, FaasSettings.from(localFs), localFs);
  }
}
