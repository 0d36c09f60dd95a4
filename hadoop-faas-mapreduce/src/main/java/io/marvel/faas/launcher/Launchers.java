package io.marvel.faas.launcher;

import io.marvel.faas.settings.FaasSettings;
import java.io.IOException;

/** Creates the {@link TaskLauncher} the settings select. */
public final class Launchers {
  private Launchers() {
  }

  /**
   * @param settings validated settings
   * @param embedded this JVM's embedded platform, for an OpenWhisk launcher that uses it
   * @return a new launcher, to be closed by the caller
   * @throws IOException if the launcher cannot be created (for example a bad API host)
   */
  public static TaskLauncher create(FaasSettings settings, EmbeddedPlatform embedded)
      throws IOException {
    return switch (settings.launcher()) {
      case IN_JVM -> new InJvmLauncher(settings.activationTimeoutMs());
      case OPENWHISK -> OpenWhiskLauncher.create(settings, embedded);
    };
  }
}
