package io.marvel.faas.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The name of the host a task runs on, as the job summary and diagnostics show it: the
 * environment's {@code MARVEL_HOST} when set (a container placed on a simulated host is told its
 * host so), else the machine's host name.
 */
public final class TaskHost {
  /** The environment variable that names the host, when set. */
  public static final String ENV = "MARVEL_HOST";

  private TaskHost() {
  }

  /** @return this process's host name, never empty ({@code unknown} if the system tells none) */
  public static String name() {
    String named = System.getenv(ENV);
    if (named != null && !named.isBlank()) {
      return named.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      // A host without a resolvable name still runs tasks; the summary only shows less.
      return "unknown";
    }
  }
}
