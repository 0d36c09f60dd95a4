package io.marvel.faas.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.whisk.client.NamespaceLimits;
import io.marvel.whisk.client.NamespaceLimits.Range;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class PlatformLimitsCheckTest {
  private static final String WHERE = "OpenWhisk at https://ow.example.com (namespace guest)";

  private static FaasSettings settings(int memoryMb, long timeoutMs, int maxConcurrency) {
    Configuration conf = new Configuration(false);
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, memoryMb);
    conf.setLong(FaasConfigKeys.ACTIVATION_TIMEOUT_MS_KEY, timeoutMs);
    conf.setInt(FaasConfigKeys.MAX_CONCURRENCY_KEY, maxConcurrency);
    return FaasSettings.from(conf);
  }

  private static PlatformLimitsCheck.Verdict check(FaasSettings s, NamespaceLimits limits) {
    return PlatformLimitsCheck.check(s, Optional.of(limits), "unused", WHERE);
  }

  @Test
  void theDefaultsFitAStockDeployment() {
    FaasSettings defaults = FaasSettings.from(new Configuration(false));
    assertEquals(new PlatformLimitsCheck.Verdict(Optional.empty(), Optional.empty()),
        check(defaults, NamespaceLimits.STOCK));
  }

  @Test
  void everySettingThePlatformCannotGrantIsInOneMessageWithBothFixes() {
    PlatformLimitsCheck.Verdict v = check(settings(1024, 600_000, 40), NamespaceLimits.STOCK);
    assertEquals(Optional.empty(), v.warning());
    assertEquals(WHERE + " cannot run this job's task action:"
        + " mapreduce.faas.action.memory-mb = 1024 is over the platform's limit of 512 MB"
        + " (maxActionMemory): set it to at most 512, or have the OpenWhisk operator raise the"
        + " limit (CONFIG_whisk_memory_max on its controller and invokers, and the namespace's"
        + " own maxActionMemory if it has one; for Marvel's platform, CONFIG_whisk_memory_max in"
        + " the environment of the daemon, etc/hadoop/marvel-env.sh, or of the client for"
        + " apihost local, and the daemon's container pool, MARVEL_WHISK_POOL_MB);"
        + " mapreduce.faas.activation.timeout-ms = 600000 is over the platform's limit of"
        + " 300000 ms (maxActionTimeout): set it to at most 300000 (a task that needs longer:"
        + " give the job more maps or reducers), or have the OpenWhisk operator raise the limit"
        + " (CONFIG_whisk_timeLimit_max on its controller and invokers, and the namespace's own"
        + " maxActionTimeout if it has one; for Marvel's platform, CONFIG_whisk_timeLimit_max in"
        + " the environment of the daemon, etc/hadoop/marvel-env.sh, or of the client for"
        + " apihost local);"
        + " mapreduce.faas.max-concurrency = 40 is over the 30 activations the namespace may"
        + " have in flight (concurrentInvocations): set it to at most 30, or have the operator"
        + " raise the namespace's limit (wskadmin limits set NAMESPACE --concurrentInvocations"
        + " 40, or for every namespace LIMITS_ACTIONS_INVOKES_CONCURRENT of the controller)."
        + " Nothing was deployed", v.refusal().orElseThrow());
  }

  @Test
  void aValueUnderThePlatformsMinimumNamesTheMinimum() {
    NamespaceLimits raisedMin = new NamespaceLimits(OptionalLong.of(60), OptionalLong.of(30),
        OptionalLong.of(60), Optional.of(new Range(256, 2048)),
        Optional.of(new Range(100, 300_000)), Optional.empty(), Optional.of(new Range(2, 4)),
        Optional.empty());
    assertEquals(WHERE + " cannot run this job's task action:"
        + " mapreduce.faas.action.memory-mb = 128 is under the platform's minimum of 256 MB"
        + " (minActionMemory): set it to at least 256, or have the OpenWhisk operator lower the"
        + " minimum (CONFIG_whisk_memory_min); the task action runs one activation per"
        + " container (limits.concurrency = 1), and the namespace allows 2 to 4"
        + " (minActionConcurrency to maxActionConcurrency): have the operator allow 1"
        + " (CONFIG_whisk_concurrencyLimit_min = 1, or wskadmin limits set NAMESPACE"
        + " --minActionConcurrency 1). Nothing was deployed",
        check(settings(128, 300_000, 4), raisedMin).refusal().orElseThrow());
  }

  /** An OpenWhisk 1.x controller reports only the throttles (Limits.scala at tag 1.0.0). */
  @Test
  void limitsThePlatformDoesNotReportAreAssumedStockWithAWarningOnly() {
    NamespaceLimits onlyThrottles = new NamespaceLimits(OptionalLong.of(60),
        OptionalLong.of(100), OptionalLong.of(60), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty());
    PlatformLimitsCheck.Verdict v = check(settings(1024, 300_000, 4), onlyThrottles);
    assertEquals(Optional.empty(), v.refusal(), "a deployment may have raised its limits");
    assertEquals(WHERE + " does not report minActionMemory/maxActionMemory,"
        + " minActionTimeout/maxActionTimeout, minActionConcurrency/maxActionConcurrency (a"
        + " controller before OpenWhisk 2.0); assuming a stock deployment's limits where none"
        + " are reported: memory 128 to 512 MB, time limit 100 to 300000 ms, activations per"
        + " container 1 to 1. The job goes on; if the deployment has those limits, the deploy"
        + " or its activations will fail: mapreduce.faas.action.memory-mb = 1024 is over the"
        + " platform's limit of 512 MB (maxActionMemory): set it to at most 512, or have the"
        + " OpenWhisk operator raise the limit (CONFIG_whisk_memory_max on its controller and"
        + " invokers, and the namespace's own maxActionMemory if it has one; for Marvel's"
        + " platform, CONFIG_whisk_memory_max in the environment of the daemon,"
        + " etc/hadoop/marvel-env.sh, or of the client for apihost local, and the daemon's"
        + " container pool, MARVEL_WHISK_POOL_MB)",
        v.warning().orElseThrow());
  }

  @Test
  void noLimitsAtAllSaysWhyAndWhatWasAssumed() {
    PlatformLimitsCheck.Verdict v = PlatformLimitsCheck.check(settings(512, 300_000, 4),
        Optional.empty(), WHERE + " has no limits route (404)", WHERE);
    assertEquals(Optional.empty(), v.refusal());
    assertEquals(WHERE + " has no limits route (404); assuming a stock deployment's limits where"
        + " none are reported: memory 128 to 512 MB, time limit 100 to 300000 ms, activations"
        + " per container 1 to 1, activations in flight 30. The job goes on; its settings fit"
        + " those limits",
        v.warning().orElseThrow());
  }
}
