package io.marvel.whisk.client;

import java.util.regex.Pattern;

/**
 * The docker image names OpenWhisk accepts for a {@code blackbox} action's {@code exec.image}:
 * {@code [domain[:port]/]path[/path...][:tag][@digest]} with lower-case path components, the
 * grammar of docker's reference package that OpenWhisk's controller parses the name with
 * ({@code ImageName.fromString} in {@code common/scala/.../core/entity/ExecManifest.scala}).
 * A name outside it is refused by the controller with 400.
 */
public final class DockerImageName {
  private static final String DOMAIN_PART = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
  /** Two dotted parts (a port optional), or one part with a port: else it is a path. */
  private static final String DOMAIN = "(?:" + DOMAIN_PART + "(?:\\." + DOMAIN_PART
      + ")+(?::[0-9]+)?|" + DOMAIN_PART + ":[0-9]+)";
  private static final String PATH_PART = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String TAG = "\\w[\\w.-]{0,127}";
  private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*"
      + ":[0-9a-fA-F]{32,}";
  private static final Pattern REFERENCE = Pattern.compile("(?:" + DOMAIN + "/)?" + PATH_PART
      + "(?:/" + PATH_PART + ")*(?::" + TAG + ")?(?:@" + DIGEST + ")?");

  private DockerImageName() {
  }

  /**
   * @param name an image name
   * @return true if OpenWhisk's controller accepts it as {@code exec.image}
   */
  public static boolean isValid(String name) {
    return name != null && REFERENCE.matcher(name).matches();
  }
}
