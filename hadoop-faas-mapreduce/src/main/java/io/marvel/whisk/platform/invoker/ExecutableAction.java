package io.marvel.whisk.platform.invoker;

import com.google.gson.JsonObject;
import java.util.Objects;

/**
 * What the invoker needs of an action to run it.
 *
 * @param namespace the action's namespace
 * @param name the action's simple name
 * @param version the action's version, e.g. {@code 0.0.1}
 * @param revision a value unique to this stored revision of the action; containers are reused
 *     only for the same revision, so any update or re-creation gets fresh containers
 * @param kind the runtime kind, {@code java:8} or {@code blackbox}
 * @param image the container image of a blackbox action, null for {@code java:8}
 * @param main the entry point ({@code Class} or {@code Class#method}); may be null for blackbox
 * @param code the jar, base64 encoded; may be null for blackbox
 * @param binary whether the code is base64, as the controller computed it
 * @param limits the action's limits
 * @param defaultParams the action's default parameters for {@code /run}
 * @param initEnv parameters flagged {@code init}, handed to {@code /init} as env entries
 */
public record ExecutableAction(String namespace, String name, String version, String revision,
    String kind, String image, String main, String code, boolean binary, ActionLimits limits,
    JsonObject defaultParams, JsonObject initEnv) {

  /** Checks that nothing is missing. */
  public ExecutableAction {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(limits, "limits");
  }

  /** @return true for a blackbox action, which names the image its containers run */
  public boolean isBlackbox() {
    return image != null;
  }

  /** @return {@code namespace/name}, the form of the {@code path} annotation */
  public String path() {
    return namespace + "/" + name;
  }

  /** @return the key under which warm containers of this action revision are reused */
  public String containerKey() {
    return path() + "@" + version + "#" + revision;
  }
}
