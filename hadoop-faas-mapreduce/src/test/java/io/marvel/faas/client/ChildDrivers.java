package io.marvel.faas.client;

import io.marvel.faas.FaasConfigKeys;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.MRConfig;

/**
 * What the tests of drivers in child JVMs share: the drivers' job settings (a faas job on the
 * embedded platform over the local file system) and the start of a driver JVM.
 */
final class ChildDrivers {
  private ChildDrivers() {
  }

  /**
   * @param work the driver's work dir: {@code tmp/} and {@code summary/} go there
   * @param pmemDir the PMEM state dir
   * @param maxConcurrency activations at once
   * @return the configuration of a driver's job
   */
  static Configuration embeddedPlatformConf(Path work, String pmemDir, int maxConcurrency) {
    Configuration conf = new Configuration();
    conf.set("fs.defaultFS", "file:///");
    conf.set("hadoop.tmp.dir", work.resolve("tmp").toString());
    conf.set(MRConfig.FRAMEWORK_NAME, "faas");
    conf.set(FaasConfigKeys.LAUNCHER_KEY, "openwhisk");
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, "local");
    conf.set(FaasConfigKeys.STATE_PMEM_DIR_KEY, pmemDir);
    conf.set(FaasConfigKeys.SUMMARY_DIR_KEY, work.resolve("summary").toString());
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, 384);
    conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, maxConcurrency);
    return conf;
  }

  /**
   * Starts {@code mainClass} in a JVM with this JVM's class path and module opens; its stderr
   * goes to {@code <work>/driver.err}. Its SIGHUP, SIGINT and SIGTERM have their default
   * handling, as for a {@code hadoop jar} typed at a terminal: a build started in the background
   * ({@code nohup mvn ... &}) passes its ignored SIGINT and SIGHUP down to every process it
   * starts, and a JVM started with a signal ignored never installs its shutdown handler for it,
   * so Ctrl-C would do nothing (SigIgn 0x3 in /proc of the surefire JVM of such a build).
   */
  static Process start(Path work, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    // coreutils' env (8.31 and later) resets the dispositions before it runs the JVM.
    cmd.add("env");
    cmd.add("--default-signal=HUP,INT,TERM");
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    // Its own temp dir, so the platform's data dir (under it) goes with the test's files.
    cmd.add("-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("java-tmp")));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(work.resolve("driver.err").toFile()).start();
  }
}
