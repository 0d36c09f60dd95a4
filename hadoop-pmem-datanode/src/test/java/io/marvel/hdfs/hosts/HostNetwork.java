package io.marvel.hdfs.hosts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The network of a run: a namespace per host, each with a veth link {@code eth0} holding the
 * host's address, plugged into a bridge that lives in a namespace of its own (so the bridge
 * sees no firewall rules of this machine), and a gateway link from the starting process's
 * namespace into that bridge, so that the starting process reaches the hosts' addresses.
 * Everything is made with {@code ip}, named after the run, and nothing else is touched.
 */
final class HostNetwork {
  private static final long KILL_WAIT_MS = 10_000;

  private HostNetwork() {
  }

  /**
   * Creates the network of {@code run} with {@code hosts} hosts.
   *
   * @throws HostsUnavailableException when this process may not create network namespaces
   */
  static void create(HostRun run, int hosts) throws IOException {
    String link = run.linkNamespace();
    try {
      Commands.run("ip", "netns", "add", link);
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("not permitted") || message.contains("Permission denied")) {
        throw new HostsUnavailableException("this process may not create network namespaces ("
            + message + ")");
      }
      throw e;
    }
    Commands.run("ip", "-n", link, "link", "add", "br0", "type", "bridge");
    Commands.run("ip", "-n", link, "link", "set", "br0", "up");
    for (int i = 0; i < hosts; i++) {
      String namespace = run.hostNamespace(i);
      Commands.run("ip", "netns", "add", namespace);
      // Both ends are created directly in their namespaces: nothing appears here on the way.
      Commands.run("ip", "link", "add", "eth0", "netns", namespace, "type", "veth", "peer",
          "name", "host" + i, "netns", link);
      plugIntoBridge(link, "host" + i);
      Commands.run("ip", "-n", namespace, "addr", "add", run.hostAddress(i) + "/24", "dev",
          "eth0");
      Commands.run("ip", "-n", namespace, "link", "set", "eth0", "up");
      Commands.run("ip", "-n", namespace, "link", "set", "lo", "up");
    }
    String gateway = run.gatewayLink();
    Commands.run("ip", "link", "add", gateway, "type", "veth", "peer", "name", "gw", "netns",
        link);
    plugIntoBridge(link, "gw");
    Commands.run("ip", "addr", "add", run.gatewayAddress() + "/24", "dev", gateway);
    Commands.run("ip", "link", "set", gateway, "up");
  }

  private static void plugIntoBridge(String linkNamespace, String port) throws IOException {
    Commands.run("ip", "-n", linkNamespace, "link", "set", port, "master", "br0");
    Commands.run("ip", "-n", linkNamespace, "link", "set", port, "up");
  }

  /**
   * Removes the network of {@code run}, whatever part of it exists: kills every process in its
   * namespaces (a namespace outlives its name while a process is in it), deletes the namespaces
   * and the gateway link (deleting the bridge's namespace deletes its veth peers too).
   *
   * @return what was removed, for the sweep's report
   */
  static List<String> remove(HostRun run) throws IOException {
    List<String> removed = new ArrayList<>();
    List<String> namespaces = namespacesOf(run);
    for (String namespace : namespaces) {
      killProcesses(namespace);
    }
    // The gateway first: once the bridge's namespace is deleted its peer goes away too, but
    // asynchronously, so deleting it afterwards may or may not find it.
    if (links().contains(run.gatewayLink())) {
      Commands.run("ip", "link", "delete", run.gatewayLink());
      removed.add("link " + run.gatewayLink());
    }
    for (String namespace : namespaces) {
      Commands.run("ip", "netns", "delete", namespace);
      removed.add("namespace " + namespace);
    }
    return removed;
  }

  /** @return the namespaces of {@code run} that exist */
  static List<String> namespacesOf(HostRun run) throws IOException {
    List<String> ofRun = new ArrayList<>();
    for (String namespace : namespaces()) {
      if (HostRun.numberOf(namespace).orElse(-1) == run.number()) {
        ofRun.add(namespace);
      }
    }
    return ofRun;
  }

  /** @return the names of all named network namespaces */
  static List<String> namespaces() throws IOException {
    // Lines look like "name" or "name (id: 3)".
    return Commands.lines("ip", "netns", "list").stream()
        .map(line -> line.strip().split("\\s+")[0]).toList();
  }

  /** @return the names of the links of this process's namespace */
  static List<String> links() throws IOException {
    // Lines look like "7: name@if6: <...> ..."; a veth's name carries its peer after '@'.
    return Commands.lines("ip", "-o", "link", "show").stream()
        .map(line -> line.split(":\\s+", 3)[1].split("@")[0]).toList();
  }

  /** @return the processes in {@code namespace} */
  static List<Long> processes(String namespace) throws IOException {
    return Commands.lines("ip", "netns", "pids", namespace).stream()
        .map(line -> Long.parseLong(line.strip())).toList();
  }

  /**
   * Kills every process in {@code namespace} with SIGKILL and waits until they are gone, reaped
   * by their parent included (a killed orphan is a zombie until init reaps it).
   */
  static void killProcesses(String namespace) throws IOException {
    long self = ProcessHandle.current().pid();
    long deadline = System.currentTimeMillis() + KILL_WAIT_MS;
    Set<ProcessHandle> killed = new HashSet<>();
    List<Long> left = processes(namespace);
    while (!left.isEmpty() || killed.stream().anyMatch(ProcessHandle::isAlive)) {
      for (long pid : left) {
        if (pid != self) {
          ProcessHandle.of(pid).ifPresent(process -> {
            process.destroyForcibly();
            killed.add(process);
          });
        }
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IOException("processes of namespace " + namespace + " still run "
            + KILL_WAIT_MS + " ms after SIGKILL: " + left + ", "
            + killed.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList());
      }
      Commands.pause(100);
      left = processes(namespace).stream().filter(pid -> pid != self).toList();
    }
  }

  /** @return whether an address of this namespace lies in the subnet of {@code run} */
  static boolean subnetInUse(HostRun run) throws IOException {
    String prefix = "inet " + run.subnet();
    return Commands.lines("ip", "-o", "-4", "addr", "show").stream()
        .anyMatch(line -> line.contains(prefix));
  }
}
