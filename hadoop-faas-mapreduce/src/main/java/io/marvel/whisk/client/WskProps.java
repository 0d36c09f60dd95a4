package io.marvel.whisk.client;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves {@link WhiskSettings} the way the {@code wsk} CLI and the official clients find them:
 * the properties file {@code ~/.wskprops} (or the file named by {@code WSK_CONFIG_FILE}) with
 * {@code APIHOST}, {@code AUTH} and {@code NAMESPACE}, overridden by the environment variables
 * {@code __OW_API_HOST}, {@code __OW_API_KEY}, {@code __OW_NAMESPACE} and
 * {@code __OW_IGNORE_CERTS}.
 */
public final class WskProps {
  private WskProps() {
  }

  /**
   * Resolves from this process's environment and the user's home directory.
   *
   * @return the settings
   * @throws IOException if the properties file exists but cannot be read
   * @throws IllegalArgumentException if the API host or key is missing or malformed
   */
  public static WhiskSettings resolve() throws IOException {
    return resolve(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * Resolves from the given environment and home directory.
   *
   * @param env environment variables
   * @param home the home directory holding {@code .wskprops}
   * @return the settings
   * @throws IOException if the properties file exists but cannot be read
   * @throws IllegalArgumentException if the API host or key is missing or malformed
   */
  public static WhiskSettings resolve(Map<String, String> env, Path home) throws IOException {
    Path file = env.containsKey("WSK_CONFIG_FILE") ? Path.of(env.get("WSK_CONFIG_FILE"))
        : home.resolve(".wskprops");
    Properties props = new Properties();
    if (Files.isRegularFile(file)) {
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(in);
      }
    }
    String apiHost = pick(env.get("__OW_API_HOST"), props.getProperty("APIHOST"));
    String auth = pick(env.get("__OW_API_KEY"), props.getProperty("AUTH"));
    String namespace = pick(env.get("__OW_NAMESPACE"), props.getProperty("NAMESPACE"));
    if (apiHost == null) {
      throw new IllegalArgumentException("no OpenWhisk API host: set APIHOST in " + file
          + " or the environment variable __OW_API_HOST");
    }
    if (auth == null) {
      throw new IllegalArgumentException("no OpenWhisk auth key: set AUTH in " + file
          + " or the environment variable __OW_API_KEY");
    }
    WhiskSettings settings = WhiskSettings.of(WhiskSettings.parseApiHost(apiHost), auth);
    if (namespace != null) {
      settings = settings.withNamespace(namespace);
    }
    return settings.withInsecure("true".equalsIgnoreCase(env.get("__OW_IGNORE_CERTS")));
  }

  private static String pick(String fromEnv, String fromFile) {
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    return fromFile == null || fromFile.isBlank() ? null : fromFile.trim();
  }
}
