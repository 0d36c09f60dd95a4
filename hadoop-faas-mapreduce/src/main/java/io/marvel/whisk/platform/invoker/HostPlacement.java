package io.marvel.whisk.platform.invoker;

import io.marvel.whisk.platform.container.Placement;
import java.util.List;
import java.util.Random;

/**
 * Which host each new container goes to, for an invoker whose containers run on several hosts
 * simulated on this machine (a test harness: a real cluster runs a real OpenWhisk, whose
 * invokers sit on their hosts). Round-robin or at random with a seed, so that the containers of
 * one job, and so its maps and reducers, land on different hosts reproducibly. Chosen through
 * the Java API only ({@code EmbeddedWhisk.start(settings, placement)}), never by a setting.
 * Thread-safe.
 */
public final class HostPlacement {
  private final List<Placement> hosts;
  private final Random random;
  private int next;

  private HostPlacement(List<Placement> hosts, Random random) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a host placement needs at least one host");
    }
    this.hosts = List.copyOf(hosts);
    this.random = random;
  }

  /**
   * @param hosts the hosts, in the order they are used
   * @return a placement that puts the first container on the first host, the next on the next
   *     host, and so on round
   * @throws IllegalArgumentException if there is no host
   */
  public static HostPlacement roundRobin(List<Placement> hosts) {
    return new HostPlacement(hosts, null);
  }

  /**
   * @param hosts the hosts
   * @param seed the seed: the same seed gives the same sequence of hosts
   * @return a placement that puts each container on a host drawn at random
   * @throws IllegalArgumentException if there is no host
   */
  public static HostPlacement random(List<Placement> hosts, long seed) {
    return new HostPlacement(hosts, new Random(seed));
  }

  /** @return the hosts */
  public List<Placement> hosts() {
    return hosts;
  }

  /** @return the host of the next container */
  public synchronized Placement next() {
    if (random != null) {
      return hosts.get(random.nextInt(hosts.size()));
    }
    Placement host = hosts.get(next);
    next = (next + 1) % hosts.size();
    return host;
  }
}
