package io.marvel.pmem;

import java.io.IOException;

/**
 * A libpmem or mapping call failed. The message names the call, the file and the system's
 * explanation ({@code strerror} and {@code pmem_errormsg()}); {@link #errno()} keeps the number
 * for callers that branch on it. Subclasses cover the failures a caller can act on.
 */
public class PmemException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int errno;

  /**
   * @param message what failed, on which file, and why
   * @param errno the positive errno of the failure, or 0 when there is none
   */
  public PmemException(String message, int errno) {
    super(message);
    this.errno = errno;
  }

  /**
   * @param message what failed, on which file, and why
   * @param cause the underlying failure
   */
  public PmemException(String message, Throwable cause) {
    super(message, cause);
    this.errno = 0;
  }

  /** @return the positive errno of the failure, or 0 when it did not come from a system call */
  public int errno() {
    return errno;
  }
}
