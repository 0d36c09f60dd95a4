package io.marvel.whisk.platform.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the embedded platform. Immutable; build with {@link #builder(Path)}, which starts
 * from the defaults documented on each builder method. Validated on construction.
 *
 * @param dataDir where the auth key file and container work directories live
 * @param port the controller's port on 127.0.0.1; 0 picks a free one
 * @param namespace the single namespace the platform serves
 * @param poolMemoryMb memory of the container pool in MB: the sum of the memory limits of all
 *     containers (busy, idle, prewarmed, starting) never exceeds it
 * @param idleContainerTimeout an idle warm container unused this long is destroyed
 * @param prewarmCount prewarmed {@code java:8} containers kept ready
 * @param prewarmMemoryMb memory limit of prewarmed containers in MB
 * @param maxActivationRecords completed activation records kept; the oldest are dropped
 * @param invocationsPerMinute per-namespace invokes per wall-clock minute before 429
 * @param concurrentInvocations per-namespace activations in flight before 429
 * @param javaExecutable the {@code java} launcher for container JVMs
 * @param containerClasspath the class path of container JVMs (their "runtime image")
 * @param containerJvmOptions extra options for container JVMs
 * @param containerEnv extra environment variables of container JVMs (they also inherit this
 *     JVM's environment)
 * @param containerStartTimeout how long a container JVM may take to start
 * @param reuseContainers whether a container that finished an activation stays warm for the
 *     next one (OpenWhisk's behaviour); false destroys it after every activation, which makes
 *     every activation pay a container start, as a stateless baseline
 * @param limits the action limits the platform grants (a stock OpenWhisk's by default)
 * @param runtimeImages the images of blackbox actions the platform runs, each mapped to the
 *     name of the container starter that runs it ({@link RuntimeImages})
 * @param classList the class list (JDK {@code -XX:DumpLoadedClassList} format) whose classes
 *     the containers share through a class data archive the platform makes from it, or null
 *     for containers without one
 */
public record PlatformSettings(Path dataDir, int port, String namespace, long poolMemoryMb,
    Duration idleContainerTimeout, int prewarmCount, int prewarmMemoryMb,
    int maxActivationRecords, int invocationsPerMinute, int concurrentInvocations,
    Path javaExecutable, String containerClasspath, List<String> containerJvmOptions,
    Map<String, String> containerEnv, Duration containerStartTimeout, boolean reuseContainers,
    SystemLimits limits, Map<String, String> runtimeImages, Path classList) {

  /**
   * Validates every field.
   *
   * @throws IllegalArgumentException naming the field, its value and what is allowed
   */
  public PlatformSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(idleContainerTimeout, "idleContainerTimeout");
    Objects.requireNonNull(javaExecutable, "javaExecutable");
    Objects.requireNonNull(containerClasspath, "containerClasspath");
    Objects.requireNonNull(containerStartTimeout, "containerStartTimeout");
    containerJvmOptions = List.copyOf(containerJvmOptions);
    containerEnv = Map.copyOf(containerEnv);
    Objects.requireNonNull(limits, "limits");
    Map<String, String> images = new HashMap<>();
    runtimeImages.forEach((image, starter) -> images.put(RuntimeImages.normalize(image), starter));
    runtimeImages = Map.copyOf(images);
    check(port >= 0 && port <= 65535, "port", port, "0 to 65535 (0 picks a free port)");
    check(poolMemoryMb >= 128, "poolMemoryMb", poolMemoryMb, "at least 128");
    check(!idleContainerTimeout.isNegative() && !idleContainerTimeout.isZero(),
        "idleContainerTimeout", idleContainerTimeout, "a positive duration");
    check(prewarmCount >= 0, "prewarmCount", prewarmCount, "0 or more");
    check(prewarmMemoryMb >= 128, "prewarmMemoryMb", prewarmMemoryMb, "at least 128");
    check(maxActivationRecords >= 1, "maxActivationRecords", maxActivationRecords, "at least 1");
    check(invocationsPerMinute >= 1, "invocationsPerMinute", invocationsPerMinute, "at least 1");
    check(concurrentInvocations >= 1, "concurrentInvocations", concurrentInvocations,
        "at least 1");
    check(!containerClasspath.isBlank(), "containerClasspath", "(blank)",
        "a class path holding the Marvel jar and Gson");
    check(containerStartTimeout.toMillis() >= 100, "containerStartTimeout",
        containerStartTimeout, "at least 100 ms");
  }

  private static void check(boolean ok, String field, Object value, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException("platform setting " + field + " = " + value
          + " is invalid; allowed: " + allowed);
    }
  }

  /**
   * @param dataDir the data directory
   * @return a builder holding the defaults
   */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** @return a builder holding these settings */
  public Builder toBuilder() {
    Builder b = new Builder(dataDir);
    b.port = port;
    b.namespace = namespace;
    b.poolMemoryMb = poolMemoryMb;
    b.idleContainerTimeout = idleContainerTimeout;
    b.prewarmCount = prewarmCount;
    b.prewarmMemoryMb = prewarmMemoryMb;
    b.maxActivationRecords = maxActivationRecords;
    b.invocationsPerMinute = invocationsPerMinute;
    b.concurrentInvocations = concurrentInvocations;
    b.javaExecutable = javaExecutable;
    b.containerClasspath = containerClasspath;
    b.containerJvmOptions = containerJvmOptions;
    b.containerEnv = containerEnv;
    b.containerStartTimeout = containerStartTimeout;
    b.reuseContainers = reuseContainers;
    b.limits = limits;
    b.runtimeImages = runtimeImages;
    b.classList = classList;
    return b;
  }

  /**
   * The system property naming the default class list: the distribution's scripts set it to
   * its {@code lib/task-classes.lst}.
   */
  public static final String CLASS_LIST_PROPERTY = "marvel.task.classlist";

  /**
   * The environment variable that names the class list to containers, whose actions may load
   * its classes ahead of use (the task action's warm-up does); set unless the container
   * environment sets it.
   */
  public static final String CLASS_LIST_ENV = "MARVEL_TASK_CLASSLIST";

  /**
   * The container JVM options by default (issue 17 item 2, measured in the module README):
   * serial GC, which gives an idle task container's heap back in one collection
   * ({@code IdleHeapTrim}, with {@code -XX:-ShrinkHeapInSteps}); a young generation of at most
   * 8 MB, which a task touches whole on top of its sort buffer (the heap's share would give it
   * 20 MB, for no less collection time in total); and a {@code malloc_trim} every second, which
   * gives back the C heap the JIT compiler's arenas grew and freed (glibc keeps it otherwise;
   * the option is in JDK 17's later updates, 17.0.15 here, and a JDK without it refuses to
   * start the container, naming it).
   */
  static final List<String> DEFAULT_CONTAINER_JVM_OPTIONS = List.of("-XX:+UseSerialGC",
      "-XX:-UsePerfData", "-XX:-ShrinkHeapInSteps", "-XX:MaxNewSize=8m",
      "-XX:TrimNativeHeapInterval=1000");

  /** Builds {@link PlatformSettings}; not thread-safe. */
  public static final class Builder {
    private final Path dataDir;
    private int port;
    private String namespace = "guest";
    private long poolMemoryMb = 2048;
    private Duration idleContainerTimeout = Duration.ofMinutes(10);
    private int prewarmCount;
    private int prewarmMemoryMb = 256;
    private int maxActivationRecords = 10_000;
    private int invocationsPerMinute = 60_000;
    private int concurrentInvocations = 100;
    private Path javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
    private String containerClasspath = System.getProperty("java.class.path");
    private List<String> containerJvmOptions = DEFAULT_CONTAINER_JVM_OPTIONS;
    private Map<String, String> containerEnv = Map.of();
    private Duration containerStartTimeout = Duration.ofSeconds(30);
    private boolean reuseContainers = true;
    private SystemLimits limits = SystemLimits.STOCK;
    private Map<String, String> runtimeImages = RuntimeImages.defaults();
    private Path classList = System.getProperty(CLASS_LIST_PROPERTY) == null ? null
        : Path.of(System.getProperty(CLASS_LIST_PROPERTY));

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    /** @param v controller port; default 0 (a free port) @return this */
    public Builder port(int v) {
      port = v;
      return this;
    }

    /** @param v the namespace; default {@code guest} @return this */
    public Builder namespace(String v) {
      namespace = v;
      return this;
    }

    /** @param v pool memory in MB; default 2048 @return this */
    public Builder poolMemoryMb(long v) {
      poolMemoryMb = v;
      return this;
    }

    /** @param v idle time before a warm container is destroyed; default 10 min @return this */
    public Builder idleContainerTimeout(Duration v) {
      idleContainerTimeout = v;
      return this;
    }

    /** @param v prewarmed containers to keep; default 0 (like OpenWhisk for Java) @return this */
    public Builder prewarmCount(int v) {
      prewarmCount = v;
      return this;
    }

    /** @param v memory of prewarmed containers in MB; default 256 @return this */
    public Builder prewarmMemoryMb(int v) {
      prewarmMemoryMb = v;
      return this;
    }

    /** @param v activation records kept; default 10000 @return this */
    public Builder maxActivationRecords(int v) {
      maxActivationRecords = v;
      return this;
    }

    /** @param v invokes per namespace and minute; default 60000 @return this */
    public Builder invocationsPerMinute(int v) {
      invocationsPerMinute = v;
      return this;
    }

    /** @param v activations in flight per namespace; default 100 @return this */
    public Builder concurrentInvocations(int v) {
      concurrentInvocations = v;
      return this;
    }

    /** @param v the java launcher; default this JVM's @return this */
    public Builder javaExecutable(Path v) {
      javaExecutable = v;
      return this;
    }

    /** @param v container class path; default this JVM's {@code java.class.path} @return this */
    public Builder containerClasspath(String v) {
      containerClasspath = v;
      return this;
    }

    /**
     * @param v container JVM options; default serial GC, no perf data file, a young generation
     *     of at most 8 MB and a native heap trim every second ({@code
     *     DEFAULT_CONTAINER_JVM_OPTIONS}). Adding
     *     {@code -XX:TieredStopAtLevel=1} starts tiny actions a little faster but slows
     *     long-running tasks
     * @return this
     */
    public Builder containerJvmOptions(List<String> v) {
      containerJvmOptions = v;
      return this;
    }

    /** @param v extra container environment variables; default none @return this */
    public Builder containerEnv(Map<String, String> v) {
      containerEnv = v;
      return this;
    }

    /** @param v container start time limit; default 30 s @return this */
    public Builder containerStartTimeout(Duration v) {
      containerStartTimeout = v;
      return this;
    }

    /** @param v keep containers warm between activations; default true @return this */
    public Builder reuseContainers(boolean v) {
      reuseContainers = v;
      return this;
    }

    /**
     * @param v the action limits; default {@link SystemLimits#STOCK}, a stock OpenWhisk's
     * @return this
     */
    public Builder limits(SystemLimits v) {
      limits = v;
      return this;
    }

    /**
     * Applies an operator's {@code CONFIG_whisk_*} settings to the action limits, as an
     * OpenWhisk deployment reads them from its environment ({@link OperatorConfig}).
     *
     * @param env the environment, e.g. {@code System.getenv()}
     * @return this
     * @throws IllegalArgumentException naming a variable whose value is not valid
     */
    public Builder operatorConfig(Map<String, String> env) {
      limits = OperatorConfig.apply(limits, env);
      return this;
    }

    /**
     * @param v image name to container starter name; default {@link RuntimeImages#defaults()}
     * @return this
     */
    public Builder runtimeImages(Map<String, String> v) {
      runtimeImages = v;
      return this;
    }

    /**
     * @param v the class list whose classes containers share (a class data archive made from
     *     it), or null for none; default the file the system property
     *     {@value #CLASS_LIST_PROPERTY} names, if set (the distribution's scripts set it)
     * @return this
     */
    public Builder classList(Path v) {
      classList = v;
      return this;
    }

    /**
     * Adds this JVM's {@code --add-opens}/{@code --add-exports} options to the container JVM
     * options: containers run the same code (Hadoop tasks need them on Java 17).
     *
     * @return this
     */
    public Builder inheritModuleOptions() {
      List<String> all = new ArrayList<>(containerJvmOptions);
      all.addAll(ModuleOptions.ofThisJvm());
      containerJvmOptions = all;
      return this;
    }

    /**
     * @return the settings
     * @throws IllegalArgumentException if a value is out of range
     */
    public PlatformSettings build() {
      return new PlatformSettings(dataDir, port, namespace, poolMemoryMb, idleContainerTimeout,
          prewarmCount, prewarmMemoryMb, maxActivationRecords, invocationsPerMinute,
          concurrentInvocations, javaExecutable, containerClasspath, containerJvmOptions,
          containerEnv, containerStartTimeout, reuseContainers, limits, runtimeImages,
          classList);
    }
  }
}
