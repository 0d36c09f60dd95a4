package io.marvel.hdfs.hosts;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of simulated hosts, named by its number: the number gives every name the run uses
 * (namespaces, the gateway link, its directory) and its subnet, a /24 of the 198.18.0.0/15
 * benchmark range, so runs side by side and leftovers of a crashed run never collide.
 */
final class HostRun {
  /** Runs that fit in 198.18.0.0/15, one /24 each. */
  static final int MAX_RUNS = 512;
  /** Hosts of one run: host i has the address .(i+1) of the subnet, the gateway .254. */
  static final int MAX_HOSTS = 250;
  static final Path SHM = Paths.get("/dev/shm");

  private static final Pattern NAME = Pattern.compile("marvel-h(\\d{1,3})(-(link|gw|host\\d+))?");

  private final int number;

  HostRun(int number) {
    if (number < 0 || number >= MAX_RUNS) {
      throw new IllegalArgumentException("run number " + number + " is not in [0, " + MAX_RUNS
          + ")");
    }
    this.number = number;
  }

  /**
   * @param name a namespace, link or directory name
   * @return the number of the run it belongs to, or empty if it is not a name of a run
   */
  static OptionalInt numberOf(String name) {
    Matcher matcher = NAME.matcher(name);
    if (!matcher.matches()) {
      return OptionalInt.empty();
    }
    int number = Integer.parseInt(matcher.group(1));
    return number < MAX_RUNS ? OptionalInt.of(number) : OptionalInt.empty();
  }

  int number() {
    return number;
  }

  /** @return e.g. marvel-h3 */
  String name() {
    return "marvel-h" + number;
  }

  /** @return the network namespace of host {@code index} */
  String hostNamespace(int index) {
    return name() + "-host" + index;
  }

  /** @return the namespace that holds the bridge all hosts are plugged into */
  String linkNamespace() {
    return name() + "-link";
  }

  /** @return the link in the starting process's namespace that reaches the hosts */
  String gatewayLink() {
    return name() + "-gw";
  }

  /** @return /dev/shm/marvel-hN: the hosts' PMEM dirs, the NameNode's dir, the configuration */
  Path dir() {
    return SHM.resolve(name());
  }

  /**
   * @return the directory of the site files (core-site.xml, hdfs-site.xml) of clients of the
   *     run's HDFS, which Hadoop's tools need on their class path, as etc/hadoop
   */
  Path clientConfDir() {
    return dir().resolve("conf").resolve("client");
  }

  /**
   * @return where every process on a host sees that host's PMEM dir: one path on all hosts, as
   *     /mnt/pmem0 on the hosts of a real cluster; from outside the hosts an empty directory
   */
  Path localPmemDir() {
    return dir().resolve("pmem");
  }

  /** @return the address of host {@code index} */
  String hostAddress(int index) {
    return subnet() + (index + 1);
  }

  /** @return the address of the gateway link */
  String gatewayAddress() {
    return subnet() + 254;
  }

  /** @return the first three octets and a dot, e.g. 198.18.3. */
  String subnet() {
    return "198." + (18 + number / 256) + "." + (number % 256) + ".";
  }

  @Override
  public String toString() {
    return name();
  }
}
