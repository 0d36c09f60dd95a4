package io.marvel.whisk.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An action to deploy: its runtime (a Java kind, or a docker image as a {@code blackbox}
 * action), its jar, main class and limits.
 *
 * @param name the action's name (optionally {@code package/name})
 * @param kind OpenWhisk's {@code exec.kind}: {@link #JAVA_8} or {@link #BLACKBOX}
 * @param image the docker image of a {@code blackbox} action ({@code exec.image}), else null
 * @param main the entry point, {@code Class} or {@code Class#method}
 * @param jar the jar bytes
 * @param memoryMb memory limit in MB (the container's)
 * @param timeoutMs time limit of {@code /init} and of {@code /run}, in ms
 * @param maxInstances the most containers the action may use at once (OpenWhisk's
 *     {@code limits.instances}); 0 for the platform's default
 */
public record ActionSpec(String name, String kind, String image, String main, byte[] jar,
    int memoryMb, int timeoutMs, int maxInstances) {
  /** The kind of OpenWhisk's Java runtime (Java 8, the action jar and Gson only). */
  public static final String JAVA_8 = "java:8";
  /** The kind of an action that runs a docker image of its own. */
  public static final String BLACKBOX = "blackbox";

  /** Checks that nothing is missing or out of range. */
  public ActionSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(main, "main");
    Objects.requireNonNull(jar, "jar");
    if (kind.equals(BLACKBOX) != (image != null)) {
      throw new IllegalArgumentException("action " + name + ": an image is required for kind "
          + BLACKBOX + " and only for it (kind " + kind + ", image " + image + ")");
    }
    if (image != null && !DockerImageName.isValid(image)) {
      throw new IllegalArgumentException("action " + name + ": '" + image
          + "' is not a docker image name");
    }
    if (memoryMb <= 0 || timeoutMs <= 0 || maxInstances < 0) {
      throw new IllegalArgumentException("action " + name + ": memoryMb (" + memoryMb
          + ") and timeoutMs (" + timeoutMs + ") must be positive, maxInstances ("
          + maxInstances + ") 0 or more");
    }
  }

  /**
   * @param name the action's name
   * @param main the main class
   * @param jar the jar bytes
   * @return a {@code java:8} action with OpenWhisk's default limits: 256 MB, 60 s
   */
  public static ActionSpec java(String name, String main, byte[] jar) {
    return new ActionSpec(name, JAVA_8, null, main, jar, 256, 60_000, 0);
  }

  /**
   * @param name the action's name
   * @param image the docker image whose runtime takes the jar on {@code /init}
   * @param main the main class
   * @param jar the jar bytes
   * @return a {@code blackbox} action with OpenWhisk's default limits: 256 MB, 60 s
   */
  public static ActionSpec blackbox(String name, String image, String main, byte[] jar) {
    return new ActionSpec(name, BLACKBOX, image, main, jar, 256, 60_000, 0);
  }

  /** @param v the action's name @return a copy with it */
  public ActionSpec withName(String v) {
    return new ActionSpec(v, kind, image, main, jar, memoryMb, timeoutMs, maxInstances);
  }

  /** @param v memory in MB @return a copy with it */
  public ActionSpec withMemoryMb(int v) {
    return new ActionSpec(name, kind, image, main, jar, v, timeoutMs, maxInstances);
  }

  /** @param v timeout in ms @return a copy with it */
  public ActionSpec withTimeoutMs(int v) {
    return new ActionSpec(name, kind, image, main, jar, memoryMb, v, maxInstances);
  }

  /** @param v the most containers at once, 0 for the platform's default @return a copy */
  public ActionSpec withMaxInstances(int v) {
    return new ActionSpec(name, kind, image, main, jar, memoryMb, timeoutMs, v);
  }

  /**
   * @return SHA-256 (hex) over the kind, image, jar, main class and limits: what makes a deploy
   *     necessary
   */
  public String deployHash() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(jar);
      md.update(("\n" + kind + "\n" + image + "\n" + main + "\n" + memoryMb + "\n"
          + timeoutMs + "\n" + maxInstances).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActionSpec s && s.name.equals(name) && s.kind.equals(kind)
        && Objects.equals(s.image, image) && s.main.equals(main)
        && Arrays.equals(s.jar, jar) && s.memoryMb == memoryMb
        && s.timeoutMs == timeoutMs && s.maxInstances == maxInstances;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, kind, image, main, Arrays.hashCode(jar), memoryMb, timeoutMs,
        maxInstances);
  }

  @Override
  public String toString() {
    return "ActionSpec[name=" + name + ", kind=" + kind + (image == null ? "" : ", image="
        + image) + ", main=" + main + ", jar=" + jar.length + " bytes, memoryMb=" + memoryMb
        + ", timeoutMs=" + timeoutMs + ", maxInstances=" + maxInstances + "]";
  }
}
