package io.marvel.pmem;

/** Turns an errno from a native call into the {@link PmemException} a caller can act on. */
final class PmemErrors {
  private static final int EPERM = 1;
  private static final int ENOENT = 2;
  private static final int EACCES = 13;
  private static final int EEXIST = 17;
  private static final int ENOSPC = 28;
  private static final int EDQUOT = 122;
  private static final int EIO = 5;
  private static final int EBADF = 9;
  private static final int EFAULT = 14;
  private static final int EINVAL = 22;
  private static final int ENOSYS = 38;
  private static final int EOPNOTSUPP = 95;

  private PmemErrors() {
  }

  /** Called from C when a call that returns a pointer fails. */
  static PmemException fromNative(String call, String path, int errno, String strerror,
      String pmemMessage) {
    String detail = pmemMessage == null || pmemMessage.isEmpty()
        ? strerror : strerror + " (libpmem: " + pmemMessage + ")";
    return forErrno(call + " failed for " + path + ": " + detail + hint(errno, path), errno);
  }

  /** For calls that return {@code -errno}: throws unless the result is non-negative. */
  static int check(int result, String call, String path) throws PmemException {
    if (result >= 0) {
      return result;
    }
    int errno = -result;
    throw forErrno(call + " failed for " + path + ": " + PmemNative.strerror(errno)
        + hint(errno, path), errno);
  }

  /**
   * @return true for the errors of vmsplice or splice that mean "cannot lend these pages"; EIO
   *     too, which splice returns for pages a socket refuses (a DataNode would take an
   *     "Input/output error" for a corrupt replica)
   */
  static boolean refusesLending(int errno) {
    return errno == EFAULT || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP
        || errno == EIO;
  }

  /** @return true when the channel was closed before the bytes could be sent */
  static boolean isClosedDescriptor(int errno) {
    return errno == EBADF;
  }

  static PmemException forErrno(String message, int errno) {
    return switch (errno) {
      case ENOSPC, EDQUOT -> new PmemNoSpaceException(message, errno);
      case EEXIST -> new PmemFileExistsException(message, errno);
      case ENOENT -> new PmemFileNotFoundException(message, errno);
      case EACCES, EPERM -> new PmemAccessDeniedException(message, errno);
      default -> new PmemException(message, errno);
    };
  }

  private static String hint(int errno, String path) {
    return switch (errno) {
      case ENOSPC, EDQUOT -> "; free space on the device holding it or use a smaller size";
      case EEXIST -> "; remove it or open it instead of creating it";
      case ENOENT -> "; check that the directory exists";
      case EACCES, EPERM -> "; check the permissions of the file and its directory";
      default -> "";
    };
  }
}
