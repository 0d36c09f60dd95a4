package io.marvel.whisk.platform.container;

import java.io.IOException;

/**
 * A call into a container that produced no reply: the time limit passed, or the container's
 * process went away. The invoker turns it into a developer error and destroys the container.
 */
public final class ContainerFailure extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean timedOut;
  private final String processEnd;

  /**
   * @param message what happened, naming the container
   * @param timedOut true if the call hit its time limit
   * @param cause the I/O failure
   */
  public ContainerFailure(String message, boolean timedOut, Throwable cause) {
    this(message, timedOut, cause, "");
  }

  /**
   * @param message what happened, naming the container
   * @param timedOut true if the call hit its time limit
   * @param cause the I/O failure
   * @param processEnd how the container's process ended, as {@link JvmContainer#describeExit}
   *     words it; empty if it had not ended
   */
  public ContainerFailure(String message, boolean timedOut, Throwable cause,
      String processEnd) {
    super(message, cause);
    this.timedOut = timedOut;
    this.processEnd = processEnd;
  }

  /** @return how the container's process ended, e.g. "was killed by signal 9 (SIGKILL)"; empty
   *     if it had not ended when the call failed */
  public String processEnd() {
    return processEnd;
  }

  /** @return true if the call hit its time limit, false if the container exited */
  public boolean timedOut() {
    return timedOut;
  }
}
