package io.marvel.hdfs.hosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;

/**
 * Simulated hosts for a person (dev-support/bin/marvel-hosts):
 * <ul>
 * <li>{@code start N LOGDIR}: starts N hosts, prints the run's cluster.properties and
 * "ready", then runs until SIGTERM or SIGINT, whose shutdown hook removes the run;</li>
 * <li>{@code sweep}: removes the leftovers of runs whose owner is gone.</li>
 * </ul>
 */
public final class SimulatedHostsMain {
  /** The owner written to the run's owner file, which the script's stop looks for. */
  static final String OWNER = "marvel-hosts";

  private SimulatedHostsMain() {
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length == 2 && "start".equals(args[0])) {
      start(Integer.parseInt(args[1]), Paths.get(System.getProperty("java.io.tmpdir")));
    } else if (args.length == 3 && "start".equals(args[0])) {
      start(Integer.parseInt(args[1]), Paths.get(args[2]));
    } else if (args.length == 1 && "sweep".equals(args[0])) {
      for (String removed : RunRegistry.sweep()) {
        System.out.println("removed " + removed);
      }
    } else {
      System.err.println("usage: SimulatedHostsMain start N [LOGDIR] | sweep");
      System.exit(2);
    }
  }

  private static void start(int count, Path logDir) throws IOException, InterruptedException {
    SimulatedHosts hosts;
    try {
      hosts = SimulatedHosts.start(count, logDir, new Configuration(false), OWNER);
    } catch (HostsUnavailableException e) {
      System.err.println(e.getMessage());
      System.exit(3);
      return;
    }
    System.out.println("run=" + hosts.name());
    System.out.print(Files.readString(hosts.dir().resolve("cluster.properties"),
        StandardCharsets.UTF_8));
    System.out.println("logs=" + logDir);
    System.out.println("ready");
    System.out.flush();
    // The shutdown hook removes the run when the script (or Ctrl-C) ends this JVM.
    Thread.currentThread().join();
  }
}
