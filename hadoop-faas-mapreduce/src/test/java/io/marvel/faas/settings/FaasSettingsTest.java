package io.marvel.faas.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.MarvelBuild;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaasSettingsTest {
  private static String error(String key, String value) {
    Configuration conf = new Configuration(false);
    conf.set(key, value);
    return assertThrows(IllegalArgumentException.class, () -> FaasSettings.from(conf))
        .getMessage();
  }

  @Test
  void defaultsComeFromTheKeysClass() {
    FaasSettings s = FaasSettings.from(new Configuration(false));
    assertEquals("local", s.apiHost());
    assertEquals(FaasSettings.Launcher.OPENWHISK, s.launcher());
    assertEquals(StoreKind.PMEM, s.store().kind());
    assertEquals("/dev/shm/marvel-faas-" + System.getProperty("user.name"), s.store().pmemDir());
    assertEquals(FaasConfigKeys.MAX_CONCURRENCY_DEFAULT, s.maxConcurrency());
    assertEquals(FaasConfigKeys.ACTIVATION_TIMEOUT_MS_DEFAULT, s.activationTimeoutMs());
    assertEquals(1, s.vcores());
    assertEquals(512, s.memoryMb(), "fits a stock OpenWhisk, whose largest action is 512 MB");
    assertEquals("marvel/task-runtime:" + MarvelBuild.VERSION, s.actionImage());
    assertEquals(FaasConfigKeys.TASK_PROGRESS_INTERVAL_MS_DEFAULT, s.taskProgressIntervalMs());
  }

  @Test
  void rejectsValuesNamingKeyValueAndAllowed() {
    assertEquals("mapreduce.faas.max-concurrency = 0 is out of range; allowed: 1 to 10000",
        error(FaasConfigKeys.MAX_CONCURRENCY_KEY, "0"));
    assertEquals("mapreduce.faas.action.memory-mb = 'lots' is not a whole number; allowed: 128"
        + " to 8192", error(FaasConfigKeys.ACTION_MEMORY_MB_KEY, "lots"));
    assertEquals("mapreduce.faas.action.memory-mb = 8193 is out of range; allowed: 128 to 8192",
        error(FaasConfigKeys.ACTION_MEMORY_MB_KEY, "8193"));
    assertEquals("mapreduce.faas.action.image = 'Marvel/Task Runtime' is not a docker image"
        + " name; OpenWhisk accepts [registry[:port]/]path[:tag] with a lower-case path, e.g."
        + " registry.example.com:5000/marvel/task-runtime:" + MarvelBuild.VERSION,
        error(FaasConfigKeys.ACTION_IMAGE_KEY, "Marvel/Task Runtime"));
    assertEquals("mapreduce.faas.state.store = 's3' is not a state store; allowed: pmem, hdfs",
        error(FaasConfigKeys.STATE_STORE_KEY, "s3"));
    assertEquals("mapreduce.faas.launcher = 'yarn' is not a launcher; allowed: openwhisk,"
        + " in-jvm", error(FaasConfigKeys.LAUNCHER_KEY, "yarn"));
    assertEquals("mapreduce.faas.action.name is empty; set it or remove it to use the default"
        + " 'marvel-mapreduce-task'", error(FaasConfigKeys.ACTION_NAME_KEY, " "));
    assertEquals("mapreduce.faas.action.vcores = 0 is out of range; allowed: 1 to 1024",
        error(FaasConfigKeys.ACTION_VCORES_KEY, "0"));
    assertEquals("mapreduce.faas.task.progress-interval-ms = 10 is out of range; allowed: 100"
        + " to 600000", error(FaasConfigKeys.TASK_PROGRESS_INTERVAL_MS_KEY, "10"));
  }

  @Test
  void readsTheKeyFromTheAuthFileWhenNoKeyIsSet(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("auth");
    Files.writeString(file, "23bc46b1-71f6-4ed5-8c54-816aa4f8c502:secret\n");
    Configuration conf = new Configuration(false);
    conf.set(FaasConfigKeys.OPENWHISK_AUTH_FILE_KEY, file.toString());
    assertEquals("23bc46b1-71f6-4ed5-8c54-816aa4f8c502:secret", FaasSettings.from(conf).auth());
    conf.set(FaasConfigKeys.OPENWHISK_AUTH_KEY, "explicit:key");
    assertEquals("explicit:key", FaasSettings.from(conf).auth(), "an explicit key wins");
  }

  @Test
  void aMissingOrEmptyAuthFileIsNamed(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing");
    String error = error(FaasConfigKeys.OPENWHISK_AUTH_FILE_KEY, missing.toString());
    assertTrue(error.contains(missing + " does not exist")
        && error.contains("start the platform first: sbin/start-marvel.sh")
        && error.contains("For another OpenWhisk point it at a file holding your key"), error);
    Path unreadable = Files.createDirectory(dir.resolve("a-dir"));
    String dirError = error(FaasConfigKeys.OPENWHISK_AUTH_FILE_KEY, unreadable.toString());
    assertTrue(dirError.contains(unreadable + " cannot be read") && dirError.contains("point it"),
        dirError);
    Path empty = Files.createFile(dir.resolve("empty"));
    String emptyError = error(FaasConfigKeys.OPENWHISK_AUTH_FILE_KEY, empty.toString());
    assertTrue(emptyError.contains("is empty"), emptyError);
  }

  @Test
  void acceptsExplicitValues() {
    Configuration conf = new Configuration(false);
    conf.set(FaasConfigKeys.STATE_STORE_KEY, "HDFS");
    conf.set(FaasConfigKeys.LAUNCHER_KEY, "in-jvm");
    conf.set(FaasConfigKeys.SUMMARY_DIR_KEY, "/tmp/s");
    FaasSettings s = FaasSettings.from(conf);
    assertEquals(StoreKind.HDFS, s.store().kind());
    assertEquals(FaasSettings.Launcher.IN_JVM, s.launcher());
    assertEquals("/tmp/s", s.summaryDir());
  }
}
