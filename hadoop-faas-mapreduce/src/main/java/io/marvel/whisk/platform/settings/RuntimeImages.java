package io.marvel.whisk.platform.settings;

import io.marvel.MarvelBuild;
import java.util.Map;

/**
 * The container images of blackbox actions that the platform can run, and how: each image name
 * maps to the name of a container starter ({@code whisk.platform.container.ContainerStarters}).
 * By default only the distribution's own action runtime image is known, and it runs as a JVM
 * process ({@value #JVM_STARTER}), like {@code java:8} actions. OpenWhisk's invoker pulls any
 * other image from its registry; this platform has no registry, so an unknown image fails its
 * activation the way a failed pull does.
 */
public final class RuntimeImages {
  /** The starter that runs the action runtime as a JVM process of this machine. */
  public static final String JVM_STARTER = "jvm";
  private RuntimeImages() {
  }

  /** @return {@code marvel/task-runtime:<Marvel's version>}, the image the distribution builds */
  public static String distributionImage() {
    return MarvelBuild.TASK_IMAGE;
  }

  /** @return the default map: the distribution's image, run as a JVM process */
  public static Map<String, String> defaults() {
    return Map.of(distributionImage(), JVM_STARTER);
  }

  /**
   * @param image an image name as an action gives it
   * @return the name with its digest dropped and {@code :latest} added when it has no tag, the
   *     form under which images are looked up (OpenWhisk matches a missing tag as "latest")
   */
  public static String normalize(String image) {
    String name = image.trim();
    int at = name.indexOf('@');
    if (at >= 0) {
      name = name.substring(0, at);
    }
    int slash = name.lastIndexOf('/');
    return name.indexOf(':', slash + 1) >= 0 ? name : name + ":latest";
  }
}
