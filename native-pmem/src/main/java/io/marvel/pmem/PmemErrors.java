package io.marvel.pmem;

/** Turns an errno from a native call into the {@link PmemException} a caller can act on. */
final class PmemErrors {
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
    return errno == Errno.EFAULT || errno == Errno.EINVAL || errno == Errno.ENOSYS
        || errno == Errno.EOPNOTSUPP || errno == Errno.EIO;
  }

  /** @return true when the channel was closed before the bytes could be sent */
  static boolean isClosedDescriptor(int errno) {
    return errno == Errno.EBADF;
  }

  static PmemException forErrno(String message, int errno) {
    if (isNoSpace(errno)) {
      return new PmemNoSpaceException(message, errno);
    } else if (errno == Errno.EEXIST) {
      return new PmemFileExistsException(message, errno);
    } else if (errno == Errno.ENOENT) {
      return new PmemFileNotFoundException(message, errno);
    } else if (isDenied(errno)) {
      return new PmemAccessDeniedException(message, errno);
    }
    return new PmemException(message, errno);
  }

  private static String hint(int errno, String path) {
    if (isNoSpace(errno)) {
      return "; free space on the device holding it or use a smaller size";
    } else if (errno == Errno.EEXIST) {
      return "; remove it or open it instead of creating it";
    } else if (errno == Errno.ENOENT) {
      return "; check that the directory exists";
    } else if (isDenied(errno)) {
      return "; check the permissions of the file and its directory";
    }
    return "";
  }

  private static boolean isNoSpace(int errno) {
    return errno == Errno.ENOSPC || errno == Errno.EDQUOT;
  }

  private static boolean isDenied(int errno) {
    return errno == Errno.EACCES || errno == Errno.EPERM;
  }
}
