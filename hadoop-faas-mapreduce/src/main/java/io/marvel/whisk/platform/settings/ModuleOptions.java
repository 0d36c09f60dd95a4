package io.marvel.whisk.platform.settings;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --add-opens} and {@code --add-exports} options of this JVM. Container JVMs run the
 * same code as the JVM that starts the platform (Hadoop tasks need these options on Java 17), so
 * they get the same ones.
 */
public final class ModuleOptions {
  private ModuleOptions() {
  }

  /** @return this JVM's module options, in order; empty when it has none */
  public static List<String> ofThisJvm() {
    List<String> options = new ArrayList<>();
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")) {
        options.add(arg);
      }
    }
    return options;
  }
}
