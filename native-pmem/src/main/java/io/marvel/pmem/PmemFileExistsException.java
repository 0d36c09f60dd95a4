package io.marvel.pmem;

/** A PMEM call failed with EEXIST: a file that was to be created already exists. */
public final class PmemFileExistsException extends PmemException {
  private static final long serialVersionUID = 1L;

  PmemFileExistsException(String message, int errno) {
    super(message, errno);
  }
}
