package io.marvel.faas.settings;

import io.marvel.MarvelBuild;
import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.state.StoreSettings;
import io.marvel.whisk.client.DockerImageName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * The faas framework's configuration, read once from a Hadoop {@link Configuration} (defaults
 * from {@link FaasConfigKeys}, documented in {@code faas-default.xml}) and validated: every
 * value out of range names its key, the value and what is allowed.
 *
 * @param apiHost OpenWhisk API host URL, or {@code local} for the embedded platform
 * @param auth OpenWhisk auth key, empty for the embedded platform
 * @param namespace OpenWhisk namespace
 * @param actionName name of the task action (each content is deployed as
 *     {@code <actionName>-<hash>})
 * @param actionRetentionMs how long an unused version of the task action stays deployed, ms
 * @param memoryMb memory limit of the task action in MiB
 * @param actionImage docker image of the task action (a {@code blackbox} action)
 * @param vcores virtual cores one activation counts as in the job counters
 * @param launcher how activations are launched
 * @param maxConcurrency most activations of a job running at a time
 * @param store the state store
 * @param activationTimeoutMs time limit of one activation in milliseconds
 * @param embeddedIdleContainerMs idle time before the embedded platform destroys a container
 * @param embeddedReuseContainers whether the embedded platform keeps containers warm
 * @param stateTtlMs how long other jobs' untouched state may stay in the store, ms
 * @param summaryDir local directory for job summaries, timelines and task logs
 * @param summaryMaxAgeMs how long after its end a job's files stay in the summary dir, ms;
 *     0 keeps them
 * @param taskProgressIntervalMs how often a running task reports its progress, ms
 */
public record FaasSettings(String apiHost, String auth, String namespace, String actionName,
    long actionRetentionMs, int memoryMb, String actionImage, int vcores, Launcher launcher,
    int maxConcurrency, StoreSettings store, long activationTimeoutMs,
    long embeddedIdleContainerMs, boolean embeddedReuseContainers, long stateTtlMs,
    String summaryDir, long summaryMaxAgeMs, long taskProgressIntervalMs) {

  /** OpenWhisk's smallest action memory ({@code whisk.memory.min} of a stock deployment). */
  static final int MIN_MEMORY_MB = 128;
  /**
   * The most memory a task action may ask for: YARN's default largest container
   * ({@code yarn.scheduler.maximum-allocation-mb}); a Hadoop task needs no more, and Hadoop's
   * sort buffer cannot exceed 2047 MB.
   */
  static final int MAX_MEMORY_MB = 8192;

  /** The closed set of activation launchers. */
  public enum Launcher {
    /** Through OpenWhisk's REST API (a real deployment or the embedded platform). */
    OPENWHISK,
    /** The task action's entry point on a thread of the client JVM. */
    IN_JVM
  }

  /**
   * @param conf the job or client configuration
   * @return the validated settings
   * @throws IllegalArgumentException naming the key, its value and what is allowed
   */
  public static FaasSettings from(Configuration conf) {
    // Defaults come from FaasConfigKeys, not from loading faas-default.xml as a resource:
    // a resource added now would override mapred-site.xml.
    Configuration c = conf;
    String hadoopTmp = c.get("hadoop.tmp.dir", System.getProperty("java.io.tmpdir"));
    String summary = c.getTrimmed(FaasConfigKeys.SUMMARY_DIR_KEY,
        FaasConfigKeys.SUMMARY_DIR_DEFAULT);
    return new FaasSettings(
        nonEmpty(c, FaasConfigKeys.OPENWHISK_APIHOST_KEY,
            FaasConfigKeys.OPENWHISK_APIHOST_DEFAULT),
        auth(c),
        nonEmpty(c, FaasConfigKeys.OPENWHISK_NAMESPACE_KEY,
            FaasConfigKeys.OPENWHISK_NAMESPACE_DEFAULT),
        nonEmpty(c, FaasConfigKeys.ACTION_NAME_KEY, FaasConfigKeys.ACTION_NAME_DEFAULT),
        range(c, FaasConfigKeys.ACTION_RETENTION_MS_KEY,
            FaasConfigKeys.ACTION_RETENTION_MS_DEFAULT, 60_000, 3_153_600_000_000L),
        (int) range(c, FaasConfigKeys.ACTION_MEMORY_MB_KEY,
            FaasConfigKeys.ACTION_MEMORY_MB_DEFAULT, MIN_MEMORY_MB, MAX_MEMORY_MB),
        actionImage(c),
        (int) range(c, FaasConfigKeys.ACTION_VCORES_KEY, FaasConfigKeys.ACTION_VCORES_DEFAULT,
            1, 1024),
        launcher(c),
        (int) range(c, FaasConfigKeys.MAX_CONCURRENCY_KEY,
            FaasConfigKeys.MAX_CONCURRENCY_DEFAULT, 1, 10_000),
        StoreSettings.from(c),
        range(c, FaasConfigKeys.ACTIVATION_TIMEOUT_MS_KEY,
            FaasConfigKeys.ACTIVATION_TIMEOUT_MS_DEFAULT, 1_000, 86_400_000L),
        range(c, FaasConfigKeys.EMBEDDED_IDLE_CONTAINER_MS_KEY,
            FaasConfigKeys.EMBEDDED_IDLE_CONTAINER_MS_DEFAULT, 1, 86_400_000L),
        c.getBoolean(FaasConfigKeys.EMBEDDED_REUSE_CONTAINERS_KEY,
            FaasConfigKeys.EMBEDDED_REUSE_CONTAINERS_DEFAULT),
        range(c, FaasConfigKeys.STATE_TTL_MS_KEY, FaasConfigKeys.STATE_TTL_MS_DEFAULT, 60_000,
            Long.MAX_VALUE),
        summary.isEmpty() ? hadoopTmp + "/faas-summaries" : summary,
        range(c, FaasConfigKeys.SUMMARY_MAX_AGE_MS_KEY,
            FaasConfigKeys.SUMMARY_MAX_AGE_MS_DEFAULT, 0, Long.MAX_VALUE),
        range(c, FaasConfigKeys.TASK_PROGRESS_INTERVAL_MS_KEY,
            FaasConfigKeys.TASK_PROGRESS_INTERVAL_MS_DEFAULT, 100, 600_000));
  }

  /** @return true when the embedded platform is to be used */
  public boolean embeddedPlatform() {
    return FaasConfigKeys.OPENWHISK_APIHOST_DEFAULT.equals(apiHost);
  }

  /**
   * @return true when every activation runs on this host as this user: in containers of the
   *     embedded platform, which this JVM starts, or on threads of this JVM
   */
  public boolean activationsRunHere() {
    return launcher == Launcher.IN_JVM || embeddedPlatform();
  }

  /** The key itself, else the content of the key file, else empty. */
  private static String auth(Configuration c) {
    String auth = c.getTrimmed(FaasConfigKeys.OPENWHISK_AUTH_KEY,
        FaasConfigKeys.OPENWHISK_AUTH_DEFAULT);
    String file = c.getTrimmed(FaasConfigKeys.OPENWHISK_AUTH_FILE_KEY,
        FaasConfigKeys.OPENWHISK_AUTH_FILE_DEFAULT);
    if (!auth.isEmpty() || file.isEmpty()) {
      return auth;
    }
    try {
      String key = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
      if (key.isEmpty()) {
        throw new IllegalArgumentException(FaasConfigKeys.OPENWHISK_AUTH_FILE_KEY + " = " + file
            + " is empty; it must hold the OpenWhisk key as uuid:key");
      }
      return key;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(FaasConfigKeys.OPENWHISK_AUTH_FILE_KEY + " = " + file
          + " does not exist. If it is the embedded platform's key, start the platform first: "
          + "sbin/start-marvel.sh (or bin/marvel whisk start) writes it there on its first "
          + "start. For another OpenWhisk point it at a file holding your key", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(FaasConfigKeys.OPENWHISK_AUTH_FILE_KEY + " = " + file
          + " cannot be read (" + e.getClass().getSimpleName() + "); point it at the file "
          + "holding the OpenWhisk key, readable by " + System.getProperty("user.name"), e);
    }
  }

  private static String nonEmpty(Configuration c, String key, String fallback) {
    String value = c.getTrimmed(key, fallback);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(key + " is empty; set it or remove it to use the"
          + " default '" + fallback + "'");
    }
    return value;
  }

  private static long range(Configuration c, String key, long fallback, long min, long max) {
    String raw = c.getTrimmed(key, Long.toString(fallback));
    long value;
    try {
      value = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " = '" + raw + "' is not a whole number;"
          + " allowed: " + min + " to " + max, e);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + " = " + value + " is out of range; allowed: "
          + min + " to " + max);
    }
    return value;
  }

  private static String actionImage(Configuration c) {
    String image = nonEmpty(c, FaasConfigKeys.ACTION_IMAGE_KEY,
        FaasConfigKeys.ACTION_IMAGE_DEFAULT);
    if (!DockerImageName.isValid(image)) {
      throw new IllegalArgumentException(FaasConfigKeys.ACTION_IMAGE_KEY + " = '" + image
          + "' is not a docker image name; OpenWhisk accepts [registry[:port]/]path[:tag]"
          + " with a lower-case path, e.g. registry.example.com:5000/marvel/task-runtime:"
          + MarvelBuild.VERSION);
    }
    return image;
  }

  private static Launcher launcher(Configuration c) {
    String raw = c.getTrimmed(FaasConfigKeys.LAUNCHER_KEY, FaasConfigKeys.LAUNCHER_DEFAULT);
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "openwhisk" -> Launcher.OPENWHISK;
      case "in-jvm" -> Launcher.IN_JVM;
      default -> throw new IllegalArgumentException(FaasConfigKeys.LAUNCHER_KEY + " = '" + raw
          + "' is not a launcher; allowed: openwhisk, in-jvm");
    };
  }
}
