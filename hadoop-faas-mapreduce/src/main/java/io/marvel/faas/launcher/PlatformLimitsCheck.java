package io.marvel.faas.launcher;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.whisk.client.NamespaceLimits;
import io.marvel.whisk.client.NamespaceLimits.Range;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether a job's settings fit what an OpenWhisk namespace grants an action
 * ({@link NamespaceLimits}): its memory, its time limit, the activations it runs at once, and
 * one activation per container. Each misfit names the Marvel key, the platform's limit and both
 * fixes: another value, or the OpenWhisk setting an operator raises. Limits the platform does
 * not report are taken from a stock deployment ({@link NamespaceLimits#STOCK}); a misfit
 * against those is only a warning, since the deployment may have raised them. Pure functions.
 */
public final class PlatformLimitsCheck {
  private PlatformLimitsCheck() {
  }

  /**
   * What a check found.
   *
   * @param refusal why the job cannot run, every misfit in one message, or empty
   * @param warning what was assumed because the platform did not report it, or empty
   */
  public record Verdict(Optional<String> refusal, Optional<String> warning) {
  }

  /**
   * @param settings the job's settings
   * @param reported the limits the platform reported, or empty if it reported none
   * @param unreported why it reported none (for the warning), used when {@code reported} is
   *     empty
   * @param where the platform, e.g. "OpenWhisk at https://host (namespace guest)"
   * @return the verdict
   */
  public static Verdict check(FaasSettings settings, Optional<NamespaceLimits> reported,
      String unreported, String where) {
    NamespaceLimits known = reported.orElse(NONE);
    List<String> misfits = misfits(settings, known);
    Optional<String> refusal = misfits.isEmpty() ? Optional.empty()
        : Optional.of(where + " cannot run this job's task action: " + String.join("; ", misfits)
            + ". Nothing was deployed");
    List<String> missing = missing(known);
    if (missing.isEmpty()) {
      return new Verdict(refusal, Optional.empty());
    }
    String why = reported.isEmpty() ? unreported
        : where + " does not report " + String.join(", ", missing) + " (a controller before"
            + " OpenWhisk 2.0)";
    List<String> maybe = misfits(settings, stockFor(known));
    String warning = why + "; assuming a stock deployment's limits where none are reported: "
        + describe(stockFor(known)) + ". The job goes on; "
        + (maybe.isEmpty() ? "its settings fit those limits"
            : "if the deployment has those limits, the deploy or its activations will fail: "
                + String.join("; ", maybe));
    return new Verdict(refusal, Optional.of(warning));
  }

  /**
   * @param settings the job's settings
   * @param limits what the platform grants; fields that are empty are not checked
   * @return one sentence per setting the platform cannot grant
   */
  static List<String> misfits(FaasSettings settings, NamespaceLimits limits) {
    List<String> out = new ArrayList<>();
    limits.memoryMb().ifPresent(r -> outside(out, FaasConfigKeys.ACTION_MEMORY_MB_KEY,
        settings.memoryMb(), r, "MB", "minActionMemory", "maxActionMemory",
        "CONFIG_whisk_memory_min", "CONFIG_whisk_memory_max", "",
        ", and the daemon's container pool, MARVEL_WHISK_POOL_MB"));
    limits.timeoutMs().ifPresent(r -> outside(out, FaasConfigKeys.ACTIVATION_TIMEOUT_MS_KEY,
        settings.activationTimeoutMs(), r, "ms", "minActionTimeout", "maxActionTimeout",
        "CONFIG_whisk_timeLimit_min", "CONFIG_whisk_timeLimit_max",
        " (a task that needs longer: give the job more maps or reducers)", ""));
    limits.concurrentInvocations().ifPresent(max -> {
      if (settings.maxConcurrency() > max) {
        out.add(FaasConfigKeys.MAX_CONCURRENCY_KEY + " = " + settings.maxConcurrency()
            + " is over the " + max + " activations the namespace may have in flight"
            + " (concurrentInvocations): set it to at most " + max + ", or have the operator"
            + " raise the namespace's limit (wskadmin limits set NAMESPACE"
            + " --concurrentInvocations " + settings.maxConcurrency() + ", or for every"
            + " namespace LIMITS_ACTIONS_INVOKES_CONCURRENT of the controller)");
      }
    });
    limits.concurrency().ifPresent(r -> {
      if (!r.contains(1)) {
        out.add("the task action runs one activation per container (limits.concurrency = 1),"
            + " and the namespace allows " + r + " (minActionConcurrency to"
            + " maxActionConcurrency): have the operator allow 1 (CONFIG_whisk_concurrencyLimit_min"
            + " = 1, or wskadmin limits set NAMESPACE --minActionConcurrency 1)");
      }
    });
    return out;
  }

  private static void outside(List<String> out, String key, long value, Range range,
      String unit, String minField, String maxField, String minSetting, String maxSetting,
      String hint, String marvelExtra) {
    if (value > range.max()) {
      out.add(key + " = " + value + " is over the platform's limit of " + range.max() + " "
          + unit + " (" + maxField + "): set it to at most " + range.max() + hint + ", or have"
          + " the OpenWhisk operator raise the limit (" + maxSetting + " on its controller and"
          + " invokers, and the namespace's own " + maxField + " if it has one; for Marvel's"
          + " platform, " + maxSetting + " in the environment of the daemon,"
          + " etc/hadoop/marvel-env.sh, or of the client for apihost local" + marvelExtra + ")");
    } else if (value < range.min()) {
      out.add(key + " = " + value + " is under the platform's minimum of " + range.min() + " "
          + unit + " (" + minField + "): set it to at least " + range.min() + ", or have the"
          + " OpenWhisk operator lower the minimum (" + minSetting + ")");
    }
  }

  /**
   * @param limits what a platform reported
   * @return one line per limit, for an operator ({@code marvel check})
   */
  public static String describe(NamespaceLimits limits) {
    List<String> parts = new ArrayList<>();
    limits.memoryMb().ifPresent(r -> parts.add("memory " + r + " MB"));
    limits.timeoutMs().ifPresent(r -> parts.add("time limit " + r + " ms"));
    limits.concurrency().ifPresent(r -> parts.add("activations per container " + r));
    limits.concurrentInvocations().ifPresent(n -> parts.add("activations in flight " + n));
    limits.invocationsPerMinute().ifPresent(n -> parts.add("invokes per minute " + n));
    limits.logsMb().ifPresent(r -> parts.add("logs " + r + " MB"));
    limits.maxParameterSize().ifPresent(s -> parts.add("parameters up to " + s));
    return parts.isEmpty() ? "none reported" : String.join(", ", parts);
  }

  private static final NamespaceLimits NONE = new NamespaceLimits(OptionalLong.empty(),
      OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty());

  /** The names of the limits a job is checked against that the platform left out. */
  private static List<String> missing(NamespaceLimits limits) {
    List<String> missing = new ArrayList<>();
    if (limits.memoryMb().isEmpty()) {
      missing.add("minActionMemory/maxActionMemory");
    }
    if (limits.timeoutMs().isEmpty()) {
      missing.add("minActionTimeout/maxActionTimeout");
    }
    if (limits.concurrency().isEmpty()) {
      missing.add("minActionConcurrency/maxActionConcurrency");
    }
    if (limits.concurrentInvocations().isEmpty()) {
      missing.add("concurrentInvocations");
    }
    return missing;
  }

  /** A stock deployment's value of each limit the platform left out, and nothing else. */
  private static NamespaceLimits stockFor(NamespaceLimits known) {
    NamespaceLimits stock = NamespaceLimits.STOCK;
    return new NamespaceLimits(OptionalLong.empty(),
        known.concurrentInvocations().isPresent() ? OptionalLong.empty()
            : stock.concurrentInvocations(),
        OptionalLong.empty(),
        known.memoryMb().isPresent() ? Optional.empty() : stock.memoryMb(),
        known.timeoutMs().isPresent() ? Optional.empty() : stock.timeoutMs(),
        Optional.empty(),
        known.concurrency().isPresent() ? Optional.empty() : stock.concurrency(),
        Optional.empty());
  }
}
