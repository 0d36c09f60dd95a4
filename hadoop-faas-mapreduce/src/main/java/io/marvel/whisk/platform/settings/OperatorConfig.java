package io.marvel.whisk.platform.settings;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the action limits from the names an operator of an OpenWhisk deployment sets: the
 * environment variables {@code CONFIG_whisk_<path>} that OpenWhisk's start script
 * ({@code common/scala/transformEnvironment.sh} of apache/openwhisk) turns into the
 * configuration keys {@code whisk.<path>}, {@code _} becoming {@code .} and camelCase
 * becoming kebab-case. Values are written as in OpenWhisk's {@code application.conf}
 * (Typesafe config): sizes such as {@code 512 m} or {@code 1g} (single letters and
 * {@code Mi}/{@code MiB} are powers of 1024, {@code MB} is 10^6), durations such as
 * {@code 100 ms}, {@code 5 m} or {@code 300s} (a bare number is milliseconds).
 *
 * <table>
 * <caption>The names read</caption>
 * <tr><th>name</th><th>OpenWhisk key</th></tr>
 * <tr><td>{@code CONFIG_whisk_memory_min}, {@code _max}, {@code _std}</td>
 *     <td>{@code whisk.memory.*}</td></tr>
 * <tr><td>{@code CONFIG_whisk_timeLimit_min}, {@code _max}, {@code _std}</td>
 *     <td>{@code whisk.time-limit.*}</td></tr>
 * <tr><td>{@code CONFIG_whisk_logLimit_min}, {@code _max}, {@code _std}</td>
 *     <td>{@code whisk.log-limit.*}</td></tr>
 * <tr><td>{@code CONFIG_whisk_concurrencyLimit_min}, {@code _max}, {@code _std}</td>
 *     <td>{@code whisk.concurrency-limit.*}</td></tr>
 * <tr><td>{@code CONFIG_whisk_parameterSizeLimit}</td>
 *     <td>{@code whisk.parameter-size-limit}</td></tr>
 * <tr><td>{@code CONFIG_whisk_execSizeLimit}</td><td>{@code whisk.exec-size-limit}</td></tr>
 * <tr><td>{@code CONFIG_whisk_activation_payload_max}</td>
 *     <td>{@code whisk.activation.payload.max}</td></tr>
 * </table>
 *
 * <p>Other {@code CONFIG_*} names are not the platform's business and are ignored; a name of
 * one of the families above with another ending is refused, as it is most likely a typo.
 */
public final class OperatorConfig {
  /** The prefix of every name read. */
  public static final String PREFIX = "CONFIG_whisk_";
  private static final long KIB = 1024L;
  private static final Pattern AMOUNT = Pattern.compile("\\s*(\\d+)\\s*([A-Za-z]*)\\s*");

  private OperatorConfig() {
  }

  /**
   * @param base the limits without the operator's changes
   * @param env the environment, e.g. {@code System.getenv()}
   * @return {@code base} with each limit the environment names replaced
   * @throws IllegalArgumentException naming the variable, its value and what is allowed
   */
  public static SystemLimits apply(SystemLimits base, Map<String, String> env) {
    Limits l = new Limits(base);
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith(PREFIX) && !e.getValue().isBlank()) {
        set(l, e.getKey(), e.getKey().substring(PREFIX.length()), e.getValue());
      }
    }
    return l.build();
  }

  private static void set(Limits l, String name, String path, String value) {
    switch (path) {
      case "memory_min" -> l.minMemoryMb = megabytes(name, value);
      case "memory_max" -> l.maxMemoryMb = megabytes(name, value);
      case "memory_std" -> l.stdMemoryMb = megabytes(name, value);
      case "timeLimit_min" -> l.minTimeoutMs = millis(name, value);
      case "timeLimit_max" -> l.maxTimeoutMs = millis(name, value);
      case "timeLimit_std" -> l.stdTimeoutMs = millis(name, value);
      case "logLimit_min" -> l.minLogsMb = megabytes(name, value);
      case "logLimit_max" -> l.maxLogsMb = megabytes(name, value);
      case "logLimit_std" -> l.stdLogsMb = megabytes(name, value);
      case "concurrencyLimit_min" -> l.minConcurrency = count(name, value);
      case "concurrencyLimit_max" -> l.maxConcurrency = count(name, value);
      case "concurrencyLimit_std" -> l.stdConcurrency = count(name, value);
      case "parameterSizeLimit" -> l.maxParameterBytes = bytes(name, value);
      case "execSizeLimit" -> l.maxExecBytes = bytes(name, value);
      case "activation_payload_max" -> l.maxPayloadBytes = bytes(name, value);
      default -> {
        for (String family : new String[] {"memory_", "timeLimit_", "logLimit_",
            "concurrencyLimit_"}) {
          if (path.startsWith(family)) {
            throw new IllegalArgumentException(name + " is not a setting this platform knows;"
                + " use " + PREFIX + family + "min, _max or _std");
          }
        }
      }
    }
  }

  /**
   * @param name the variable, for the message
   * @param value a size in Typesafe config's notation
   * @return the size in bytes
   * @throws IllegalArgumentException if it is not a size
   */
  static long bytes(String name, String value) {
    Matcher m = AMOUNT.matcher(value);
    if (!m.matches()) {
      throw notA(name, value, "size", "512 m, 1g, 1048576");
    }
    long unit = switch (m.group(2)) {
      case "", "b", "B", "byte", "bytes" -> 1;
      case "k", "K", "Ki", "KiB", "kibibyte", "kibibytes" -> KIB;
      case "m", "M", "Mi", "MiB", "mebibyte", "mebibytes" -> KIB * KIB;
      case "g", "G", "Gi", "GiB", "gibibyte", "gibibytes" -> KIB * KIB * KIB;
      case "kB", "kilobyte", "kilobytes" -> 1000L;
      case "MB", "megabyte", "megabytes" -> 1000L * 1000L;
      case "GB", "gigabyte", "gigabytes" -> 1000L * 1000L * 1000L;
      default -> throw notA(name, value, "size", "512 m, 1g, 1048576");
    };
    return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
  }

  private static int megabytes(String name, String value) {
    // OpenWhisk keeps whole megabytes (ByteSize.toMB rounds down).
    return Math.toIntExact(bytes(name, value) / (KIB * KIB));
  }

  /**
   * @param name the variable, for the message
   * @param value a duration in Typesafe config's notation
   * @return the duration in ms
   * @throws IllegalArgumentException if it is not a duration
   */
  static int millis(String name, String value) {
    Matcher m = AMOUNT.matcher(value);
    if (!m.matches()) {
      throw notA(name, value, "duration", "100 ms, 300 s, 5 m");
    }
    long perUnit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "", "ms", "milli", "millis", "millisecond", "milliseconds" -> 1;
      case "s", "second", "seconds" -> 1000;
      case "m", "minute", "minutes" -> 60_000;
      case "h", "hour", "hours" -> 3_600_000;
      case "d", "day", "days" -> 86_400_000;
      default -> throw notA(name, value, "duration", "100 ms, 300 s, 5 m");
    };
    return Math.toIntExact(Math.multiplyExact(Long.parseLong(m.group(1)), perUnit));
  }

  private static int count(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw notA(name, value, "whole number", "1");
    }
  }

  private static IllegalArgumentException notA(String name, String value, String what,
      String examples) {
    return new IllegalArgumentException(name + " = '" + value + "' is not a " + what
        + " (for example " + examples + ")");
  }

  /** The fields of {@link SystemLimits} while they are being set. */
  private static final class Limits {
    private int minMemoryMb;
    private int maxMemoryMb;
    private int stdMemoryMb;
    private int minTimeoutMs;
    private int maxTimeoutMs;
    private int stdTimeoutMs;
    private int minLogsMb;
    private int maxLogsMb;
    private int stdLogsMb;
    private int minConcurrency;
    private int maxConcurrency;
    private int stdConcurrency;
    private long maxParameterBytes;
    private long maxPayloadBytes;
    private long maxExecBytes;

    Limits(SystemLimits b) {
      minMemoryMb = b.minMemoryMb();
      maxMemoryMb = b.maxMemoryMb();
      stdMemoryMb = b.stdMemoryMb();
      minTimeoutMs = b.minTimeoutMs();
      maxTimeoutMs = b.maxTimeoutMs();
      stdTimeoutMs = b.stdTimeoutMs();
      minLogsMb = b.minLogsMb();
      maxLogsMb = b.maxLogsMb();
      stdLogsMb = b.stdLogsMb();
      minConcurrency = b.minConcurrency();
      maxConcurrency = b.maxConcurrency();
      stdConcurrency = b.stdConcurrency();
      maxParameterBytes = b.maxParameterBytes();
      maxPayloadBytes = b.maxPayloadBytes();
      maxExecBytes = b.maxExecBytes();
    }

    SystemLimits build() {
      return new SystemLimits(minMemoryMb, maxMemoryMb, stdMemoryMb, minTimeoutMs, maxTimeoutMs,
          stdTimeoutMs, minLogsMb, maxLogsMb, stdLogsMb, minConcurrency, maxConcurrency,
          stdConcurrency, maxParameterBytes, maxPayloadBytes, maxExecBytes);
    }
  }
}
