package io.marvel.whisk.platform.container;

import java.io.IOException;

/**
 * A call into a container that produced no reply: the time limit passed, or the container's
 * process went away. The invoker turns it into a developer error and destroys the container.
 */
public final class ContainerFailure extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean timedOut;

  /**
   * @param message what happened, naming the container
   * @param timedOut true if the call hit its time limit
   * @param cause the I/O failure
   */
  public ContainerFailure(String message, boolean timedOut, Throwable cause) {
    super(message, cause);
    this.timedOut = timedOut;
  }

  /** @return true if the call hit its time limit, false if the container exited */
  public boolean timedOut() {
    return timedOut;
  }
}
