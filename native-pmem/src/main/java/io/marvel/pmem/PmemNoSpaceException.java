package io.marvel.pmem;

/** A PMEM call failed with ENOSPC: the device or file system holding the file is full. */
public final class PmemNoSpaceException extends PmemException {
  private static final long serialVersionUID = 1L;

  PmemNoSpaceException(String message, int errno) {
    super(message, errno);
  }
}
