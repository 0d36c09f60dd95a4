package io.marvel.whisk.platform.container;

import java.util.Map;
import java.util.TreeMap;

/** The container starters by the names the platform's settings use for them. */
public final class ContainerStarters {
  private static final Map<String, ContainerStarter> BY_NAME =
      Map.of("jvm", JvmContainer::start);

  private ContainerStarters() {
  }

  /**
   * @param name a starter name, e.g. {@code jvm}
   * @return the starter
   * @throws IllegalArgumentException naming the known starters if there is none of that name
   */
  public static ContainerStarter named(String name) {
    ContainerStarter starter = BY_NAME.get(name);
    if (starter == null) {
      throw new IllegalArgumentException("no container starter named '" + name
          + "'; known: " + new TreeMap<>(BY_NAME).keySet());
    }
    return starter;
  }
}
