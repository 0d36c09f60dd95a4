package io.marvel.faas.launcher;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.settings.FaasSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * What a job's settings make of the embedded platform, which one JVM starts once for all its
 * jobs: the size of its container pool and how it treats idle containers.
 *
 * @param poolMemoryMb the container pool, MB: room for every activation the job may run at once
 *     and one more (a container being replaced), at least 2048
 * @param memoryMb the job's action memory, MB (what the pool size derives from)
 * @param maxConcurrency the job's most activations at once (what the pool size derives from)
 * @param idleContainerMs idle time before a container is destroyed, ms
 * @param reuseContainers whether containers stay warm between activations
 */
record PlatformShape(long poolMemoryMb, int memoryMb, int maxConcurrency, long idleContainerMs,
    boolean reuseContainers) {
  /** Smallest pool, MB. */
  static final long MIN_POOL_MB = 2048;

  /** @return the platform the settings ask for */
  static PlatformShape of(FaasSettings settings) {
    long pool = Math.max(MIN_POOL_MB,
        (long) settings.memoryMb() * (settings.maxConcurrency() + 1));
    return new PlatformShape(pool, settings.memoryMb(), settings.maxConcurrency(),
        settings.embeddedIdleContainerMs(), settings.embeddedReuseContainers());
  }

  /**
   * @param wanted what a job asks for
   * @return true if a platform of this shape runs the job as it asks: the same container
   *     handling and a pool at least as large
   */
  boolean serves(PlatformShape wanted) {
    return differences(wanted).isEmpty();
  }

  /**
   * @param wanted what a job asks for
   * @return each setting in which this platform does not serve the job, naming the key, the
   *     running platform's value and the job's
   */
  List<String> differences(PlatformShape wanted) {
    List<String> differences = new ArrayList<>();
    if (wanted.poolMemoryMb > poolMemoryMb) {
      differences.add("the container pool holds " + poolMemoryMb + " MB (from "
          + FaasConfigKeys.ACTION_MEMORY_MB_KEY + " = " + memoryMb + " and "
          + FaasConfigKeys.MAX_CONCURRENCY_KEY + " = " + maxConcurrency + "), this job needs "
          + wanted.poolMemoryMb + " MB (" + FaasConfigKeys.ACTION_MEMORY_MB_KEY + " = "
          + wanted.memoryMb + " x (" + FaasConfigKeys.MAX_CONCURRENCY_KEY + " = "
          + wanted.maxConcurrency + " + 1))");
    }
    if (wanted.idleContainerMs != idleContainerMs) {
      differences.add(FaasConfigKeys.EMBEDDED_IDLE_CONTAINER_MS_KEY + " is " + idleContainerMs
          + " for the running platform and " + wanted.idleContainerMs + " for this job");
    }
    if (wanted.reuseContainers != reuseContainers) {
      differences.add(FaasConfigKeys.EMBEDDED_REUSE_CONTAINERS_KEY + " is " + reuseContainers
          + " for the running platform and " + wanted.reuseContainers + " for this job");
    }
    return differences;
  }

  /**
   * @param wanted what a job asks for, which this platform does not serve
   * @return why the job cannot run on this platform while another job uses it, and the fixes
   */
  String refusal(PlatformShape wanted) {
    return "the embedded OpenWhisk platform of this JVM (" + FaasConfigKeys.OPENWHISK_APIHOST_KEY
        + " = local), one per JVM, runs another job with other platform settings: "
        + String.join("; ", differences(wanted)) + ". Give this job the same values, submit it"
        + " once the other job has ended (the platform then restarts with this job's settings),"
        + " or run it in a JVM of its own or on the platform daemon (sbin/start-marvel.sh, "
        + FaasConfigKeys.OPENWHISK_APIHOST_KEY + " = http://127.0.0.1:3233, the tarball's"
        + " default)";
  }
}
