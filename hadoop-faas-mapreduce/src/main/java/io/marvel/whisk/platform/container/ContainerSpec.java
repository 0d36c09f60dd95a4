package io.marvel.whisk.platform.container;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start one container JVM.
 *
 * @param id container id, used in the process's work directory name and in logs
 * @param image the image of a blackbox action, null for a {@code java:8} action
 * @param memoryMb the memory limit in MB
 * @param javaExecutable the {@code java} launcher
 * @param classpath the container's class path (its "runtime image")
 * @param jvmOptions extra JVM options, placed before the main class
 * @param env extra environment variables (for example {@code __OW_API_HOST})
 * @param workDir a directory owned by this container, removed when it is destroyed
 * @param startTimeout how long the JVM may take to announce its port
 * @param placement the host the container runs on, or null for this machine as it is (its
 *     runtime on 127.0.0.1)
 */
public record ContainerSpec(String id, String image, int memoryMb, Path javaExecutable,
    String classpath, List<String> jvmOptions, Map<String, String> env, Path workDir,
    Duration startTimeout, Placement placement) {

  /** Validates and copies the collections. */
  public ContainerSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(javaExecutable, "javaExecutable");
    Objects.requireNonNull(classpath, "classpath");
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(startTimeout, "startTimeout");
    if (memoryMb <= 0) {
      throw new IllegalArgumentException("memoryMb must be positive: " + memoryMb);
    }
    jvmOptions = List.copyOf(jvmOptions);
    env = Map.copyOf(env);
  }

  /** A container on this machine as it is: no placement. */
  public ContainerSpec(String id, String image, int memoryMb, Path javaExecutable,
      String classpath, List<String> jvmOptions, Map<String, String> env, Path workDir,
      Duration startTimeout) {
    this(id, image, memoryMb, javaExecutable, classpath, jvmOptions, env, workDir, startTimeout,
        null);
  }
}
