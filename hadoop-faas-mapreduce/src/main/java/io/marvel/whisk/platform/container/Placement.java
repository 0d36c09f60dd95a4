package io.marvel.whisk.platform.container;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a container runs when not on this machine as it is: on one of several hosts simulated on
 * this machine (a test harness, not a distributed OpenWhisk). The container's command runs
 * through the host's command prefix, its runtime listens on the host's address and the invoker
 * connects to it there.
 *
 * @param name the host's name, e.g. {@code host1}: the container's {@value #HOST_ENV} and the
 *     {@code marvel-host} annotation of its activations
 * @param commandPrefix the command that runs what follows it on the host, e.g.
 *     {@code ip netns exec <namespace> ...}; it must exec the command (not fork it), so that the
 *     container's process is the JVM
 * @param address the numeric IP address of the host that the runtime binds
 * @param env extra environment of containers on the host
 */
public record Placement(String name, List<String> commandPrefix, String address,
    Map<String, String> env) {
  /** The environment variable that tells a container the name of its host. */
  public static final String HOST_ENV = "MARVEL_HOST";

  /**
   * Validates and copies the collections.
   *
   * @throws IllegalArgumentException for a blank name or an address that is not numeric
   */
  public Placement {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a placement needs a host name");
    }
    // A name would be resolved in the container's network, not in the invoker's.
    if (!address.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      throw new IllegalArgumentException("host " + name + ": address '" + address
          + "' is not a numeric IP address");
    }
    commandPrefix = List.copyOf(commandPrefix);
    env = Map.copyOf(env);
  }
}
