package io.marvel.faas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this Marvel build, written into {@code marvel-version.properties} by the build
 * (resource filtering), so that it is stated once, in the pom. It names the task image the
 * distribution builds ({@link FaasConfigKeys#ACTION_IMAGE_DEFAULT}).
 */
public final class MarvelVersion {
  private static final String RESOURCE = "marvel-version.properties";

  /** This build's version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static final String VERSION = read();

  private MarvelVersion() {
  }

  private static String read() {
    Properties props = new Properties();
    try (InputStream in = MarvelVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing beside "
            + MarvelVersion.class.getName() + "; the faas jar is incomplete, rebuild it");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    String version = props.getProperty("version", "");
    if (version.isEmpty() || version.contains("${")) {
      throw new IllegalStateException(RESOURCE + " holds no version ('" + version
          + "'): it was not filtered by the build; build the module with Maven");
    }
    return version;
  }
}
