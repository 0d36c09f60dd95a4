package io.marvel.pmem;

/**
 * Marvel's native PMEM library could not be loaded in this process, usually because libpmem is
 * not installed. The message says what is missing and the command that installs it.
 */
public final class PmemUnavailableException extends PmemException {
  private static final long serialVersionUID = 1L;

  PmemUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
