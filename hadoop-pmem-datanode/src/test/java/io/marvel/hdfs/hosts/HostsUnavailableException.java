package io.marvel.hdfs.hosts;

import java.io.IOException;

/** Simulated hosts cannot run here (not root, no iproute2, namespaces not permitted). */
public final class HostsUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  HostsUnavailableException(String reason) {
    super("simulated hosts cannot run here: " + reason);
  }
}
