package io.marvel.pmem;

/** A PMEM call failed with ENOENT: the file or a directory on its path does not exist. */
public final class PmemFileNotFoundException extends PmemException {
  private static final long serialVersionUID = 1L;

  PmemFileNotFoundException(String message, int errno) {
    super(message, errno);
  }
}
