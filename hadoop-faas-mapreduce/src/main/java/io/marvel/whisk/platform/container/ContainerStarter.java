package io.marvel.whisk.platform.container;

import java.io.IOException;

/**
 * Starts containers of one kind, e.g. JVM processes of this machine ({@link JvmContainer}).
 * The platform's settings map each runtime image to a starter by name
 * ({@link ContainerStarters}), so another way of running an image (such as {@code docker run})
 * is a new starter, not a change of the invoker.
 */
@FunctionalInterface
public interface ContainerStarter {
  /**
   * Starts a container and waits until its runtime accepts requests.
   *
   * @param spec how to start it
   * @return the running container
   * @throws IOException if it cannot start; nothing of it is left running
   * @throws InterruptedException if interrupted while waiting
   */
  Container start(ContainerSpec spec) throws IOException, InterruptedException;
}
