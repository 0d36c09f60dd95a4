package io.marvel.pmem;

/**
 * The errno values native-pmem branches on, as the system's C headers define them: the native
 * library reports them ({@link PmemNative#errnoValues}), nothing here hard-codes a number. Only
 * usable once the native library is loaded, which every call that can fail has done.
 */
final class Errno {
  private static final int[] VALUES = load();

  static final int EPERM = VALUES[PmemNative.ERRNO_EPERM];
  static final int ENOENT = VALUES[PmemNative.ERRNO_ENOENT];
  static final int EIO = VALUES[PmemNative.ERRNO_EIO];
  static final int EBADF = VALUES[PmemNative.ERRNO_EBADF];
  static final int EAGAIN = VALUES[PmemNative.ERRNO_EAGAIN];
  static final int EACCES = VALUES[PmemNative.ERRNO_EACCES];
  static final int EFAULT = VALUES[PmemNative.ERRNO_EFAULT];
  static final int EEXIST = VALUES[PmemNative.ERRNO_EEXIST];
  static final int EINVAL = VALUES[PmemNative.ERRNO_EINVAL];
  static final int ENOSPC = VALUES[PmemNative.ERRNO_ENOSPC];
  static final int EPIPE = VALUES[PmemNative.ERRNO_EPIPE];
  static final int ENOSYS = VALUES[PmemNative.ERRNO_ENOSYS];
  static final int EOPNOTSUPP = VALUES[PmemNative.ERRNO_EOPNOTSUPP];
  static final int EDQUOT = VALUES[PmemNative.ERRNO_EDQUOT];

  private Errno() {
  }

  private static int[] load() {
    try {
      Pmem.ensureAvailable();
    } catch (PmemUnavailableException e) {
      throw new IllegalStateException("errno values come from the native library: "
          + e.getMessage(), e);
    }
    int[] values = new int[PmemNative.ERRNO_COUNT];
    PmemNative.errnoValues(values);
    return values;
  }
}
