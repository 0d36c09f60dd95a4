/*
 * The JNI layer of native-pmem: each function makes one libpmem call (or a fixed short sequence)
 * and reports the outcome. Integer results are 0/positive on success and -errno on failure; the
 * Java side turns them into exceptions. Functions returning a pointer throw through
 * throw_pmem_failure() and return at once. Bounds and buffer checks happen in Java, before here.
 */
#define _GNU_SOURCE /* vmsplice, splice, pipe2, F_SETPIPE_SZ */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <jni.h>
#include <libpmem.h>

#include "io_marvel_pmem_PmemNative.h"

#define COPY_CACHED 0  /* plain copy, durable after a later persist */
#define COPY_NODRAIN 1 /* flushed copy, durable after a later drain */
#define COPY_DURABLE 2 /* durable on return */

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994 /* linux/magic.h */
#endif

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* linux/mman.h, Linux 5.14 */
#endif

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000 /* linux/stat.h, Linux 5.8 */
#endif

static inline void *ptr(jlong address) {
  return (void *)(uintptr_t)address;
}

/* Builds the exception in Java (PmemErrors.fromNative picks the subclass) and throws it. */
static void throw_pmem_failure(JNIEnv *env, const char *call, jstring path, int err) {
  jclass errors = (*env)->FindClass(env, "io/marvel/pmem/PmemErrors");
  if (errors == NULL) {
    return; /* NoClassDefFoundError is pending */
  }
  jmethodID factory = (*env)->GetStaticMethodID(env, errors, "fromNative",
      "(Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;Ljava/lang/String;)"
      "Lio/marvel/pmem/PmemException;");
  if (factory == NULL) {
    return;
  }
  jstring jcall = (*env)->NewStringUTF(env, call);
  jstring jstrerror = (*env)->NewStringUTF(env, strerror(err));
  const char *pmem_msg = pmem_errormsg();
  jstring jpmem = (*env)->NewStringUTF(env, pmem_msg == NULL ? "" : pmem_msg);
  if (jcall == NULL || jstrerror == NULL || jpmem == NULL) {
    return; /* OutOfMemoryError is pending */
  }
  jobject ex = (*env)->CallStaticObjectMethod(env, errors, factory, jcall, path, (jint)err,
      jstrerror, jpmem);
  if (ex != NULL && !(*env)->ExceptionCheck(env)) {
    (*env)->Throw(env, (jthrowable)ex);
  }
}

JNIEXPORT jstring JNICALL Java_io_marvel_pmem_PmemNative_checkVersion(JNIEnv *env, jclass cls) {
  const char *problem = pmem_check_version(PMEM_MAJOR_VERSION, PMEM_MINOR_VERSION);
  return problem == NULL ? NULL : (*env)->NewStringUTF(env, problem);
}

static int on_tmpfs(const char *path) {
  struct statfs fs;
  return statfs(path, &fs) == 0 && fs.f_type == TMPFS_MAGIC;
}

/*
 * 1 if the file is known to be in the page cache (not DAX), 0 if DAX or unknown. Kernels before
 * 5.8 do not report DAX through statx; there only tmpfs, which is never DAX, counts.
 */
static jlong page_cache_backed(const char *path) {
  struct statx st;
  if (statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &st) == 0
      && (st.stx_attributes_mask & STATX_ATTR_DAX)) {
    return (st.stx_attributes & STATX_ATTR_DAX) ? 0 : 1;
  }
  return on_tmpfs(path) ? 1 : 0;
}

JNIEXPORT jlong JNICALL Java_io_marvel_pmem_PmemNative_mapFile(JNIEnv *env, jclass cls,
    jstring path, jlong length, jint flags, jint mode, jlongArray result) {
  const char *cpath = (*env)->GetStringUTFChars(env, path, NULL);
  if (cpath == NULL) {
    return 0;
  }
  size_t mapped_len = 0;
  int is_pmem = 0;
  errno = 0;
  void *addr = pmem_map_file(cpath, (size_t)length, flags, (mode_t)mode, &mapped_len, &is_pmem);
  int err = errno;
  jlong cached = addr == NULL ? 0 : page_cache_backed(cpath);
  if (is_pmem && cached && !on_tmpfs(cpath)) {
    /*
     * Only PMEM_IS_PMEM_FORCE=1 makes libpmem call a page-cache file of a disk file system PMEM.
     * Cache flushes would leave acknowledged writes in the page cache, lost at a power cut, so
     * such a file persists with msync whatever the variable says. On tmpfs, the emulation the
     * variable is meant for, nothing survives a power cut anyway: there it is honoured.
     */
    is_pmem = 0;
  }
  (*env)->ReleaseStringUTFChars(env, path, cpath);
  if (addr == NULL) {
    throw_pmem_failure(env, "pmem_map_file", path, err == 0 ? EINVAL : err);
    return 0;
  }
  jlong out[3] = {(jlong)mapped_len, (jlong)is_pmem, cached};
  (*env)->SetLongArrayRegion(env, result, 0, 3, out);
  return (jlong)(uintptr_t)addr;
}

JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_unmap(JNIEnv *env, jclass cls,
    jlong address, jlong length) {
  return pmem_unmap(ptr(address), (size_t)length) == 0 ? 0 : -errno;
}

/*
 * Replaces a mapping, in one step, with private anonymous memory of the same size, so that a
 * view that escaped its region reads zeros instead of crashing the JVM after close.
 */
JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_retire(JNIEnv *env, jclass cls,
    jlong address, jlong length) {
  void *addr = mmap(ptr(address), (size_t)length, PROT_READ | PROT_WRITE,
      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
  return addr == MAP_FAILED ? -errno : 0;
}

JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_release(JNIEnv *env, jclass cls,
    jlong address, jlong length) {
  return munmap(ptr(address), (size_t)length) == 0 ? 0 : -errno;
}

static void copy_in(void *dst, const void *src, size_t len, jint mode) {
  switch (mode) {
    case COPY_DURABLE:
      pmem_memcpy_persist(dst, src, len);
      break;
    case COPY_NODRAIN:
      pmem_memcpy_nodrain(dst, src, len);
      break;
    default:
      pmem_memcpy(dst, src, len, PMEM_F_MEM_NOFLUSH);
      break;
  }
}

/* A short critical section: the copy itself, nothing else, so the GC waits only for it. */
JNIEXPORT void JNICALL Java_io_marvel_pmem_PmemNative_copyFromArray(JNIEnv *env, jclass cls,
    jbyteArray src, jint offset, jlong dst, jint length, jint mode) {
  jbyte *base = (*env)->GetPrimitiveArrayCritical(env, src, NULL);
  if (base == NULL) {
    return;
  }
  copy_in(ptr(dst), base + offset, (size_t)length, mode);
  (*env)->ReleasePrimitiveArrayCritical(env, src, base, JNI_ABORT);
}

JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_copyFromBuffer(JNIEnv *env, jclass cls,
    jobject src, jint position, jlong dst, jint length, jint mode) {
  char *base = (*env)->GetDirectBufferAddress(env, src);
  if (base == NULL) {
    return -EINVAL;
  }
  copy_in(ptr(dst), base + position, (size_t)length, mode);
  return 0;
}

JNIEXPORT void JNICALL Java_io_marvel_pmem_PmemNative_copyToArray(JNIEnv *env, jclass cls,
    jlong src, jbyteArray dst, jint offset, jint length) {
  (*env)->SetByteArrayRegion(env, dst, offset, length, (const jbyte *)ptr(src));
}

JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_copyToBuffer(JNIEnv *env, jclass cls,
    jlong src, jobject dst, jint position, jint length) {
  char *base = (*env)->GetDirectBufferAddress(env, dst);
  if (base == NULL) {
    return -EINVAL;
  }
  memcpy(base + position, ptr(src), (size_t)length);
  return 0;
}

JNIEXPORT void JNICALL Java_io_marvel_pmem_PmemNative_fill(JNIEnv *env, jclass cls,
    jlong dst, jint value, jlong length, jboolean durable) {
  if (durable) {
    pmem_memset_persist(ptr(dst), value, (size_t)length);
  } else {
    pmem_memset(ptr(dst), value, (size_t)length, PMEM_F_MEM_NOFLUSH);
  }
}

JNIEXPORT void JNICALL Java_io_marvel_pmem_PmemNative_persist(JNIEnv *env, jclass cls,
    jlong address, jlong length) {
  pmem_persist(ptr(address), (size_t)length);
}

JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_msync(JNIEnv *env, jclass cls,
    jlong address, jlong length) {
  return pmem_msync(ptr(address), (size_t)length) == 0 ? 0 : -errno;
}

JNIEXPORT void JNICALL Java_io_marvel_pmem_PmemNative_flush(JNIEnv *env, jclass cls,
    jlong address, jlong length) {
  pmem_flush(ptr(address), (size_t)length);
}

JNIEXPORT void JNICALL Java_io_marvel_pmem_PmemNative_drain(JNIEnv *env, jclass cls) {
  pmem_drain();
}

/* Faults a range of a mapping in, writable, in one call; -EINVAL on kernels before 5.14. */
JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_populate(JNIEnv *env, jclass cls,
    jlong address, jlong length) {
  return madvise(ptr(address), (size_t)length, MADV_POPULATE_WRITE) == 0 ? 0 : -errno;
}

JNIEXPORT jobject JNICALL Java_io_marvel_pmem_PmemNative_newView(JNIEnv *env, jclass cls,
    jlong address, jlong length) {
  return (*env)->NewDirectByteBuffer(env, ptr(address), length);
}

/*
 * The descriptor of a JDK socket channel, or -1 when the channel has none we know of. Java has
 * no public way to get it: every JDK selectable channel implements the JDK-internal
 * sun.nio.ch.SelChImpl, whose getFDVal() the JDK's own selectors call, so it is less likely to
 * change than any field. JNI may call it without opening the module. SocketChannelSplice calls
 * this once per channel; the locking and the descriptor's lifetime are handled there, in Java.
 */
JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_socketDescriptor(JNIEnv *env, jclass cls,
    jobject channel) {
  jclass channel_cls = (*env)->GetObjectClass(env, channel);
  jmethodID get_fd = (*env)->GetMethodID(env, channel_cls, "getFDVal", "()I");
  if (get_fd == NULL) {
    (*env)->ExceptionClear(env); /* NoSuchMethodError: not a channel we know */
    return -1;
  }
  jint fd = (*env)->CallIntMethod(env, channel, get_fd);
  if ((*env)->ExceptionCheck(env)) {
    (*env)->ExceptionClear(env);
    return -1;
  }
  return fd;
}

JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_duplicate(JNIEnv *env, jclass cls,
    jint fd) {
  int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  return copy < 0 ? -errno : copy;
}

JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_closeDescriptor(JNIEnv *env, jclass cls,
    jint fd) {
  return close(fd) == 0 ? 0 : -errno;
}

/* A non-blocking pipe; its capacity is raised to capacity bytes when the system allows. */
JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_openPipe(JNIEnv *env, jclass cls,
    jintArray ends, jint capacity) {
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    return -errno;
  }
  fcntl(fds[1], F_SETPIPE_SZ, capacity); /* best effort: a smaller pipe takes more rounds */
  jint out[2] = {fds[0], fds[1]};
  (*env)->SetIntArrayRegion(env, ends, 0, 2, out);
  return 0;
}

/* Lends mapped pages to a pipe (no copy); bytes the pipe took, or -errno. */
JNIEXPORT jlong JNICALL Java_io_marvel_pmem_PmemNative_vmsplice(JNIEnv *env, jclass cls,
    jint pipe_write_end, jlong address, jlong length) {
  struct iovec lent = {ptr(address), (size_t)length};
  ssize_t taken = vmsplice(pipe_write_end, &lent, 1, SPLICE_F_NONBLOCK);
  return taken < 0 ? -errno : (jlong)taken;
}

/* Moves pages from a pipe into a socket (no copy); bytes the socket took, or -errno. */
JNIEXPORT jlong JNICALL Java_io_marvel_pmem_PmemNative_splice(JNIEnv *env, jclass cls,
    jint pipe_read_end, jint socket, jlong length) {
  ssize_t out = splice(pipe_read_end, NULL, socket, NULL, (size_t)length, 0);
  return out < 0 ? -errno : (jlong)out;
}

/* Opens a file named by a Java string: a descriptor, or -errno. */
static int open_path(JNIEnv *env, jstring path, int flags) {
  const char *cpath = (*env)->GetStringUTFChars(env, path, NULL);
  if (cpath == NULL) {
    return -ENOMEM; /* OutOfMemoryError is pending */
  }
  int fd = open(cpath, flags);
  int err = errno;
  (*env)->ReleaseStringUTFChars(env, path, cpath);
  return fd < 0 ? -err : fd;
}

/*
 * Allocates [offset, offset + length) of a file, growing it when the range ends past its end:
 * the file system reserves the blocks now (zeros when read), so a later store through a mapping
 * never meets a hole. 0 or -errno (ENOSPC for a full device).
 */
JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_allocate(JNIEnv *env, jclass cls,
    jstring path, jlong offset, jlong length) {
  int fd = open_path(env, path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    return fd;
  }
  /* posix_fallocate returns the error instead of setting errno. */
  int err = posix_fallocate(fd, (off_t)offset, (off_t)length);
  if (close(fd) != 0 && err == 0) {
    err = errno;
  }
  return -err;
}

/* Makes the calling thread run only when a CPU has nothing else to do (SCHED_IDLE). */
JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_runWhenIdle(JNIEnv *env, jclass cls) {
  struct sched_param none = {0};
  return sched_setscheduler(0, SCHED_IDLE, &none) == 0 ? 0 : -errno;
}

/* A read-only descriptor of a file (close-on-exec), or -errno. */
JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_openForReading(JNIEnv *env, jclass cls,
    jstring path) {
  return open_path(env, path, O_RDONLY | O_CLOEXEC);
}

/* sendfile from a file at offset into a socket: bytes it took, 0 at the file's end, or -errno. */
JNIEXPORT jlong JNICALL Java_io_marvel_pmem_PmemNative_sendFile(JNIEnv *env, jclass cls,
    jint socket, jint file, jlong offset, jlong length) {
  off_t from = (off_t)offset;
  ssize_t out = sendfile(socket, file, &from, (size_t)length);
  return out < 0 ? -errno : (jlong)out;
}

/* Waits up to timeout_ms for room in a socket: 1 when it may take bytes (or failed), 0 if not. */
JNIEXPORT jint JNICALL Java_io_marvel_pmem_PmemNative_awaitWritable(JNIEnv *env, jclass cls,
    jint socket, jint timeout_ms) {
  struct pollfd wanted = {socket, POLLOUT, 0};
  int ready = poll(&wanted, 1, timeout_ms);
  if (ready < 0) {
    return errno == EINTR ? 1 : -errno; /* interrupted: the caller simply tries again */
  }
  return ready;
}

/* The errno values Java branches on, at the indices PmemNative's ERRNO_* constants name. */
JNIEXPORT void JNICALL Java_io_marvel_pmem_PmemNative_errnoValues(JNIEnv *env, jclass cls,
    jintArray values) {
  _Static_assert(io_marvel_pmem_PmemNative_ERRNO_COUNT == 14,
      "a new ERRNO_* index in PmemNative needs its value here");
  jint table[io_marvel_pmem_PmemNative_ERRNO_COUNT] = {
    [io_marvel_pmem_PmemNative_ERRNO_EPERM] = EPERM,
    [io_marvel_pmem_PmemNative_ERRNO_ENOENT] = ENOENT,
    [io_marvel_pmem_PmemNative_ERRNO_EIO] = EIO,
    [io_marvel_pmem_PmemNative_ERRNO_EBADF] = EBADF,
    [io_marvel_pmem_PmemNative_ERRNO_EAGAIN] = EAGAIN,
    [io_marvel_pmem_PmemNative_ERRNO_EACCES] = EACCES,
    [io_marvel_pmem_PmemNative_ERRNO_EFAULT] = EFAULT,
    [io_marvel_pmem_PmemNative_ERRNO_EEXIST] = EEXIST,
    [io_marvel_pmem_PmemNative_ERRNO_EINVAL] = EINVAL,
    [io_marvel_pmem_PmemNative_ERRNO_ENOSPC] = ENOSPC,
    [io_marvel_pmem_PmemNative_ERRNO_EPIPE] = EPIPE,
    [io_marvel_pmem_PmemNative_ERRNO_ENOSYS] = ENOSYS,
    [io_marvel_pmem_PmemNative_ERRNO_EOPNOTSUPP] = EOPNOTSUPP,
    [io_marvel_pmem_PmemNative_ERRNO_EDQUOT] = EDQUOT,
  };
  (*env)->SetIntArrayRegion(env, values, 0, io_marvel_pmem_PmemNative_ERRNO_COUNT, table);
}

JNIEXPORT jstring JNICALL Java_io_marvel_pmem_PmemNative_strerror(JNIEnv *env, jclass cls,
    jint err) {
  return (*env)->NewStringUTF(env, strerror(err));
}
