package io.marvel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this Marvel build is: its version, written into {@code marvel-build.properties} by the
 * build (resource filtering), so that it is stated once, in the pom, and the name of the task
 * image the distribution builds, which both the faas client (the action it deploys) and the
 * embedded platform (the image it runs without Docker) need.
 */
public final class MarvelBuild {
  private static final String RESOURCE = "marvel-build.properties";

  /** This build's version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static final String VERSION = read();

  /** The distribution's task image, {@code marvel/task-runtime:<version>}. */
  public static final String TASK_IMAGE = "marvel/task-runtime:" + VERSION;

  private MarvelBuild() {
  }

  private static String read() {
    Properties props = new Properties();
    try (InputStream in = MarvelBuild.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing beside "
            + MarvelBuild.class.getName() + "; the faas jar is incomplete, rebuild it");
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
