package io.marvel.faas.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.pmem.ShmTempDirFactory;
import io.marvel.whisk.client.NamespaceLimits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallationCheckTest {
  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  private Configuration conf(String dataDirs) {
    Configuration conf = new Configuration(false);
    conf.set("dfs.datanode.data.dir", dataDirs);
    conf.set(FaasConfigKeys.STATE_PMEM_DIR_KEY, dir.resolve("state").toString());
    return conf;
  }

  @Test
  void aGoodInstallationPassesEveryCheckAndCreatesNothing() {
    Configuration conf = conf("[NVDIMM]" + dir.resolve("dn") + ",[DISK]/data/dn");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean ok = InstallationCheck.run(conf, true, new PrintStream(out, true));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(ok, text);
    assertTrue(text.contains("[ OK ] libpmem"), text);
    assertTrue(text.contains("[ OK ] DataNode PMEM dir " + dir.resolve("dn")), text);
    assertTrue(text.contains("is_pmem=true"), text);
    assertTrue(text.contains("[ OK ] PMEM state store dir"), text);
    assertTrue(text.contains("[ OK ] OpenWhisk limits: memory 128 to 512 MB, time limit 100 to"
        + " 300000 ms"), text);
    assertTrue(text.contains("everything is in order"), text);
    assertTrue(text.contains("does not exist yet (created on first use; " + dir + " is usable)"),
        text);
    assertTrue(text.contains("on tmpfs, which is RAM: " + InstallationCheck.DATANODE_ON_RAM),
        text);
    assertFalse(Files.exists(dir.resolve("dn")), "a check creates no directory");
    assertFalse(Files.exists(dir.resolve("state")), "a check creates no directory");
  }

  @Test
  void onlyNvdimmDirsAreProbed() {
    List<Path> dirs = InstallationCheck.nvdimmDirs(conf(
        "[DISK]/a, [NVDIMM]file:///mnt/pmem0/dn ,/plain,[nvdimm]/mnt/pmem1/dn"));
    assertEquals(List.of(Path.of("/mnt/pmem0/dn"), Path.of("/mnt/pmem1/dn")), dirs);
  }

  @Test
  void aPmemDirThatCannotBeCreatedSaysHowToFixIt() throws Exception {
    Path blocker = Files.createFile(dir.resolve("a-file"));
    Configuration conf = conf("[NVDIMM]" + blocker.resolve("dn"));
    List<CheckResult> results = InstallationCheck.check(conf, false);
    CheckResult pmemDir = results.get(1);
    assertFalse(pmemDir.ok(), pmemDir.line());
    assertTrue(pmemDir.line().contains("cannot create the directory")
        && pmemDir.line().contains("make it writable"), pmemDir.line());
  }

  @Test
  void aMisspelledKeyIsAProblem() {
    Configuration conf = conf("");
    conf.set("mapreduce.faas.stat.store", "hdfs");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertFalse(InstallationCheck.run(conf, false, new PrintStream(out, true)));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("[FAIL] configuration: unknown key mapreduce.faas.stat.store has no "
        + "effect") && text.contains("did you mean mapreduce.faas.state.store?"), text);
  }

  @Test
  void aBadSettingIsNamed() {
    Configuration conf = conf("");
    conf.set(FaasConfigKeys.MAX_CONCURRENCY_KEY, "0");
    List<CheckResult> results = InstallationCheck.check(conf, false);
    CheckResult last = results.get(results.size() - 1);
    assertFalse(last.ok());
    assertTrue(last.line().contains(FaasConfigKeys.MAX_CONCURRENCY_KEY), last.line());
  }

  @Test
  void anUnreachableOpenWhiskIsReportedWithoutHanging() {
    Configuration conf = conf("");
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, "http://127.0.0.1:1");
    conf.set(FaasConfigKeys.OPENWHISK_AUTH_KEY,
        "23bc46b1-71f6-4ed5-8c54-816aa4f8c502:" + "k".repeat(64));
    List<CheckResult> results = InstallationCheck.check(conf, true);
    CheckResult whisk = results.get(results.size() - 1);
    assertFalse(whisk.ok());
    assertTrue(whisk.line().contains("cannot reach OpenWhisk"), whisk.line());
  }

  @Test
  void aMissingKeyForARemoteOpenWhiskIsReported() {
    Configuration conf = conf("");
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, "https://whisk.example.com");
    List<CheckResult> results = InstallationCheck.check(conf, true);
    CheckResult whisk = results.get(results.size() - 1);
    assertFalse(whisk.ok());
    assertTrue(whisk.line().contains("no auth key"), whisk.line());
  }

  @Test
  void thePlatformsLimitsAreShownNextToTheJobSettings() {
    Configuration conf = new Configuration(false);
    CheckResult fits = InstallationCheck.limitsResult(FaasSettings.from(conf),
        Optional.of(NamespaceLimits.STOCK), "unused", "OpenWhisk at https://ow (namespace _)");
    assertEquals("[ OK ] OpenWhisk limits: memory 128 to 512 MB, time limit 100 to 300000 ms,"
        + " activations per container 1 to 1, activations in flight 30, invokes per minute 60,"
        + " logs 0 to 10 MB, parameters up to 1048576 B; job settings:"
        + " mapreduce.faas.action.memory-mb = 512, mapreduce.faas.activation.timeout-ms ="
        + " 300000, mapreduce.faas.max-concurrency = 4", fits.line());

    conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, 31);
    CheckResult tooMany = InstallationCheck.limitsResult(FaasSettings.from(conf),
        Optional.of(NamespaceLimits.STOCK), "unused", "OpenWhisk at https://ow (namespace _)");
    assertFalse(tooMany.ok());
    assertTrue(tooMany.line().startsWith("[FAIL] OpenWhisk limits: OpenWhisk at https://ow"
        + " (namespace _) cannot run this job's task action: mapreduce.faas.max-concurrency = 31"
        + " is over the 30 activations the namespace may have in flight"), tooMany.line());
  }

  @Test
  void limitsThePlatformDoesNotReportAreSaidToBeAssumed() {
    CheckResult r = InstallationCheck.limitsResult(FaasSettings.from(new Configuration(false)),
        Optional.empty(), "OpenWhisk at https://ow (namespace _) has no limits route (404)",
        "OpenWhisk at https://ow (namespace _)");
    assertTrue(r.ok(), r.line());
    assertTrue(r.line().startsWith("[ OK ] OpenWhisk limits: none reported; job settings:"),
        r.line());
    assertTrue(r.line().contains(". OpenWhisk at https://ow (namespace _) has no limits route"
        + " (404); assuming a stock deployment's limits"), r.line());
  }

  /** The embedded platform grants a stock deployment's limits, as a job would find them. */
  @Test
  void aSettingTheEmbeddedPlatformCannotGrantIsFlagged() {
    Configuration conf = conf("");
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, 1024);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertFalse(InstallationCheck.run(conf, true, new PrintStream(out, true)));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("[FAIL] OpenWhisk limits: the embedded OpenWhisk platform"
        + " (mapreduce.faas.openwhisk.apihost = local) cannot run this job's task action:"
        + " mapreduce.faas.action.memory-mb = 1024 is over the platform's limit of 512 MB"
        + " (maxActionMemory)"), text);
  }
}
