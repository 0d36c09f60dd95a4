package io.marvel.whisk.platform.container;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One running action container as the invoker uses it: a runtime reached over HTTP
 * ({@code /init}, {@code /run}) and the container's output, cut into per-activation logs.
 * Implementations are thread-safe; the invoker sends one request at a time.
 * {@link #close()} destroys the container and everything it left behind.
 */
public interface Container extends AutoCloseable {
  /** @return the container id */
  String id();

  /** @return the memory limit in MB */
  int memoryMb();

  /** @return the operating-system process id of the container's main process */
  long pid();

  /**
   * @return the name of the host the container was placed on ({@link Placement}), empty for a
   *     container on this machine as it is
   */
  default Optional<String> host() {
    return Optional.empty();
  }

  /** @return true while the container runs */
  boolean isAlive();

  /**
   * POSTs a JSON body to the runtime.
   *
   * @param route {@code /init} or {@code /run}
   * @param json the body
   * @param timeout the time limit of the call
   * @return the reply
   * @throws ContainerFailure if there was no reply in time or the container went away
   * @throws InterruptedException if interrupted while waiting
   */
  RuntimeReply post(String route, String json, Duration timeout)
      throws ContainerFailure, InterruptedException;

  /**
   * Takes the log lines of the activation that just ended.
   *
   * @param wait how long to wait for the runtime's sentinel lines
   * @param limitBytes the activation's log limit in bytes
   * @return the lines, oldest first
   * @throws InterruptedException if interrupted while waiting
   */
  List<String> takeLogs(Duration wait, long limitBytes) throws InterruptedException;

  /** Destroys the container; idempotent. */
  @Override
  void close();
}
