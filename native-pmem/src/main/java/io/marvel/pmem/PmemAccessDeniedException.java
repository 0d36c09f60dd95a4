package io.marvel.pmem;

/** A PMEM call failed with EACCES/EPERM: the process may not open or map the file. */
public final class PmemAccessDeniedException extends PmemException {
  private static final long serialVersionUID = 1L;

  PmemAccessDeniedException(String message, int errno) {
    super(message, errno);
  }
}
