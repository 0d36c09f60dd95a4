package io.marvel.faas.check;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.UnknownKeys;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.faas.launcher.EmbeddedPlatform;
import io.marvel.faas.launcher.PlatformLimitsCheck;
import io.marvel.pmem.Pmem;
import io.marvel.whisk.client.NamespaceLimits;
import io.marvel.whisk.client.WhiskClient;
import io.marvel.whisk.client.WhiskException;
import io.marvel.whisk.client.WhiskSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code marvel check [--config-only]}: verifies an installation the way its jobs will use it
 * and prints one line per check, saying what is wrong and how to fix it. Checks libpmem, the
 * faas settings, every {@code [NVDIMM]} data dir of the DataNode and the PMEM state store dir,
 * and (unless {@code --config-only}) that the OpenWhisk endpoint answers and accepts the key,
 * and how its namespace's limits compare with the job settings.
 * Exits 0 when everything passed, 1 otherwise.
 */
public final class InstallationCheck {
  private static final String DATA_DIR_KEY = "dfs.datanode.data.dir";
  private static final String NVDIMM_TAG = "[NVDIMM]";
  /** The PMEM DataNode's keys and their defaults (its jar is on the tarball's class path). */
  private static final String DATANODE_PREFIX = "dfs.datanode.pmem.";
  private static final String DATANODE_DEFAULTS = "hdfs-pmem-default.xml";
  static final String DATANODE_ON_RAM = "its HDFS blocks are lost at a reboot or power cut "
      + "(with one replica, so are the files); for data you keep use an fsdax PMEM mount or a "
      + "directory on disk";

  private InstallationCheck() {
  }

  /**
   * @param args {@code --config-only} to skip the network check
   */
  public static void main(String[] args) {
    boolean configOnly = List.of(args).contains("--config-only");
    Configuration conf = new Configuration();
    conf.addResource("hdfs-site.xml");
    conf.addResource("mapred-site.xml");
    System.exit(run(conf, !configOnly, System.out) ? 0 : 1);
  }

  /** Runs every check, prints the lines, and returns whether all passed. */
  static boolean run(Configuration conf, boolean checkOpenWhisk, PrintStream out) {
    List<CheckResult> results = check(conf, checkOpenWhisk);
    results.forEach(r -> out.println(r.line()));
    long failed = results.stream().filter(r -> !r.ok()).count();
    out.println(failed == 0 ? "marvel check: everything is in order"
        : "marvel check: " + failed + " problem(s) found");
    return failed == 0;
  }

  static List<CheckResult> check(Configuration conf, boolean checkOpenWhisk) {
    List<CheckResult> results = new ArrayList<>();
    results.add(Pmem.isAvailable()
        ? CheckResult.ok("libpmem", "loaded")
        : CheckResult.fail("libpmem", Pmem.unavailabilityCause().getMessage()));
    for (Path dir : nvdimmDirs(conf)) {
      results.add(PmemDirProbe.probe("DataNode PMEM dir", dir, DATANODE_ON_RAM));
    }
    unknownKeys(conf, FaasConfigKeys.PREFIX, FaasConfigKeys.DEFAULT_RESOURCE, results);
    unknownKeys(conf, DATANODE_PREFIX, DATANODE_DEFAULTS, results, "hdfs-default.xml");
    FaasSettings settings;
    try {
      settings = FaasSettings.from(conf);
    } catch (IllegalArgumentException e) {
      results.add(CheckResult.fail("faas configuration", e.getMessage()));
      return results;
    }
    results.add(CheckResult.ok("faas configuration", "valid (state store "
        + settings.store().name() + ", OpenWhisk " + settings.apiHost() + ")"));
    settings.store().localDir().ifPresent(dir -> results.add(PmemDirProbe.probe(
        "PMEM state store dir", dir, "fine for job state, which lives only while its job runs")));
    if (checkOpenWhisk) {
      results.addAll(openWhisk(settings));
    }
    return results;
  }

  private static void unknownKeys(Configuration conf, String prefix, String defaults,
      List<CheckResult> results, String... hadoopDefaults) {
    for (String sentence : UnknownKeys.describe(conf, prefix, defaults, hadoopDefaults)) {
      results.add(CheckResult.fail("configuration", sentence));
    }
  }

  static List<Path> nvdimmDirs(Configuration conf) {
    List<Path> dirs = new ArrayList<>();
    for (String location : conf.getTrimmedStrings(DATA_DIR_KEY)) {
      if (location.toUpperCase().startsWith(NVDIMM_TAG)) {
        String dir = location.substring(NVDIMM_TAG.length()).replaceFirst("^file://", "");
        dirs.add(Paths.get(dir));
      }
    }
    return dirs;
  }

  private static List<CheckResult> openWhisk(FaasSettings settings) {
    String subject = "OpenWhisk " + settings.apiHost();
    if (settings.embeddedPlatform()) {
      // A platform of the check's own, shaped and limited as a job's would be (the
      // CONFIG_whisk_* environment included), to read the limits it grants.
      try (EmbeddedPlatform platform = new EmbeddedPlatform()) {
        WhiskClient client = WhiskClient.create(platform.clientSettings(settings));
        return List.of(CheckResult.ok(subject, "the embedded platform starts inside each job's"
            + " client (started here to read its limits)"), limits(settings, client));
      } catch (IOException | IllegalArgumentException e) {
        return List.of(CheckResult.fail(subject, "the embedded platform does not start: "
            + e.getMessage()));
      }
    }
    if (settings.auth().isEmpty()) {
      return List.of(CheckResult.fail(subject, "no auth key: set "
          + FaasConfigKeys.OPENWHISK_AUTH_KEY + " to the uuid:key of the namespace"));
    }
    WhiskClient client;
    try {
      WhiskSettings whisk = WhiskSettings.of(WhiskSettings.parseApiHost(settings.apiHost()),
          settings.auth()).withNamespace(settings.namespace());
      client = WhiskClient.create(whisk);
      int actions = client.listActions().size();
      CheckResult reachable = CheckResult.ok(subject, "reachable, key accepted, " + actions
          + " action(s) in namespace " + settings.namespace());
      return List.of(reachable, limits(settings, client));
    } catch (IOException | IllegalArgumentException e) {
      return List.of(CheckResult.fail(subject, e.getMessage()));
    }
  }

  /** The namespace's limits next to the job settings they bound, and what does not fit. */
  private static CheckResult limits(FaasSettings settings, WhiskClient client) {
    String where = settings.embeddedPlatform()
        ? "the embedded OpenWhisk platform (" + FaasConfigKeys.OPENWHISK_APIHOST_KEY + " = local)"
        : "OpenWhisk at " + settings.apiHost() + " (namespace " + settings.namespace() + ")";
    Optional<NamespaceLimits> limits;
    String unreported;
    try {
      limits = client.namespaceLimits();
      unreported = where + " has no limits route (404)";
    } catch (WhiskException e) {
      limits = Optional.empty();
      unreported = "could not read them: " + e.getMessage();
    }
    return limitsResult(settings, limits, unreported, where);
  }

  /**
   * @param settings the job settings
   * @param limits what the platform reported, or empty
   * @param unreported why it reported nothing
   * @param where the platform
   * @return a failure naming each setting the platform cannot grant, else the limits and the
   *     settings side by side (with what was assumed, if the platform left limits out)
   */
  static CheckResult limitsResult(FaasSettings settings, Optional<NamespaceLimits> limits,
      String unreported, String where) {
    String subject = "OpenWhisk limits";
    PlatformLimitsCheck.Verdict verdict = PlatformLimitsCheck.check(settings, limits,
        unreported, where);
    if (verdict.refusal().isPresent()) {
      return CheckResult.fail(subject, verdict.refusal().get());
    }
    String jobs = "job settings: " + FaasConfigKeys.ACTION_MEMORY_MB_KEY + " = "
        + settings.memoryMb() + ", " + FaasConfigKeys.ACTIVATION_TIMEOUT_MS_KEY + " = "
        + settings.activationTimeoutMs() + ", " + FaasConfigKeys.MAX_CONCURRENCY_KEY + " = "
        + settings.maxConcurrency();
    String reported = limits.map(PlatformLimitsCheck::describe).orElse("none reported");
    return CheckResult.ok(subject, reported + "; " + jobs
        + verdict.warning().map(w -> ". " + w).orElse(""));
  }
}
