/*
 * The JNI layer of native-pmem: each function makes one libpmem call (or a fixed short sequence)
 * and reports the outcome. Integer results are 0/positive on success and -errno on failure; the
 * Java side turns them into exceptions. Functions returning a pointer throw through
 * throw_pmem_failure() and return at once. Bounds and buffer checks happen in Java, before here.
 */
#define _GNU_SOURCE /* vmsplice, splice, pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

JNIEXPORT jobject JNICALL Java_io_marvel_pmem_PmemNative_newView(JNIEnv *env, jclass cls,
    jlong address, jlong length) {
  return (*env)->NewDirectByteBuffer(env, ptr(address), length);
}

/*
 * The parts of a JDK socket channel (sun.nio.ch.SocketChannelImpl, private; JNI may use them)
 * that sending into its descriptor needs: the descriptor and the lock the JDK's own writes hold,
 * which close waits for, so the descriptor cannot be closed and reused while it is held.
 */
typedef struct {
  int fd;
  jobject write_lock;
  jmethodID unlock;
} socket_access;

/* Locks the channel's write lock; returns 0, or -1 when the channel is not one we know. */
static int lock_socket(JNIEnv *env, jobject channel, socket_access *access) {
  jclass cls = (*env)->GetObjectClass(env, channel);
  jfieldID fd_field = cls == NULL ? NULL : (*env)->GetFieldID(env, cls, "fdVal", "I");
  jfieldID lock_field = fd_field == NULL ? NULL
      : (*env)->GetFieldID(env, cls, "writeLock", "Ljava/util/concurrent/locks/ReentrantLock;");
  jobject lock = lock_field == NULL ? NULL : (*env)->GetObjectField(env, channel, lock_field);
  jclass lock_cls = lock == NULL ? NULL : (*env)->GetObjectClass(env, lock);
  jmethodID lock_method = lock_cls == NULL ? NULL
      : (*env)->GetMethodID(env, lock_cls, "lock", "()V");
  jmethodID unlock = lock_cls == NULL ? NULL
      : (*env)->GetMethodID(env, lock_cls, "unlock", "()V");
  jmethodID is_open = cls == NULL ? NULL : (*env)->GetMethodID(env, cls, "isOpen", "()Z");
  if (lock_method == NULL || unlock == NULL || is_open == NULL) {
    (*env)->ExceptionClear(env);
    return -1;
  }
  (*env)->CallVoidMethod(env, lock, lock_method);
  if ((*env)->ExceptionCheck(env)) {
    return -1;
  }
  access->fd = (*env)->GetIntField(env, channel, fd_field);
  access->write_lock = lock;
  access->unlock = unlock;
  if (!(*env)->CallBooleanMethod(env, channel, is_open)) {
    access->fd = -1; /* closed: the caller reports it */
  }
  return 0;
}

static void unlock_socket(JNIEnv *env, socket_access *access) {
  (*env)->CallVoidMethod(env, access->write_lock, access->unlock);
}

/*
 * Each thread that sends keeps one pipe between vmsplice and splice, sized to hold a whole
 * packet, instead of creating one per call; it is closed when the thread ends.
 */
#define PIPE_BYTES (256 * 1024)

typedef struct {
  int read_end;
  int write_end;
} thread_pipe;

static pthread_key_t pipe_key;
static pthread_once_t pipe_key_once = PTHREAD_ONCE_INIT;

static void close_thread_pipe(void *value) {
  thread_pipe *pipe_ends = value;
  close(pipe_ends->read_end);
  close(pipe_ends->write_end);
  free(pipe_ends);
}

static void create_pipe_key(void) {
  pthread_key_create(&pipe_key, close_thread_pipe);
}

/* The calling thread's pipe, created on first use; NULL with errno set on failure. */
static thread_pipe *thread_pipe_get(void) {
  pthread_once(&pipe_key_once, create_pipe_key);
  thread_pipe *pipe_ends = pthread_getspecific(pipe_key);
  if (pipe_ends != NULL) {
    return pipe_ends;
  }
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    return NULL;
  }
  fcntl(fds[1], F_SETPIPE_SZ, PIPE_BYTES); /* best effort: a smaller pipe takes more rounds */
  pipe_ends = malloc(sizeof *pipe_ends);
  if (pipe_ends == NULL) {
    close(fds[0]);
    close(fds[1]);
    errno = ENOMEM;
    return NULL;
  }
  pipe_ends->read_end = fds[0];
  pipe_ends->write_end = fds[1];
  pthread_setspecific(pipe_key, pipe_ends);
  return pipe_ends;
}

/* Drops the thread's pipe with the pages still in it; the next call creates a new one. */
static void thread_pipe_discard(thread_pipe *pipe_ends) {
  pthread_setspecific(pipe_key, NULL);
  close_thread_pipe(pipe_ends);
}

static jlong splice_locked(int socket, jlong address, jlong length);

/*
 * Sends mapped bytes into a socket without copying them: vmsplice lends the mapped pages to a
 * pipe and splice hands them on to the socket, which holds them until its peer has read them.
 * The channel's write lock is held meanwhile, so a concurrent close cannot free the descriptor.
 * Stops early, without error, when a non-blocking socket is full; bytes left in the pipe then are
 * dropped with the thread's pipe. Returns the bytes the socket took, -errno, or
 * SPLICE_NO_DESCRIPTOR.
 */
JNIEXPORT jlong JNICALL Java_io_marvel_pmem_PmemNative_spliceToSocket(JNIEnv *env, jclass cls,
    jlong address, jlong length, jobject channel) {
  socket_access access;
  if (lock_socket(env, channel, &access) != 0) {
    return (*env)->ExceptionCheck(env) ? 0 : io_marvel_pmem_PmemNative_SPLICE_NO_DESCRIPTOR;
  }
  jlong sent = access.fd < 0 ? -EBADF : splice_locked(access.fd, address, length);
  unlock_socket(env, &access);
  return sent;
}

/* The sending itself, with the channel's write lock held. */
static jlong splice_locked(int socket, jlong address, jlong length) {
  thread_pipe *pipe_ends = thread_pipe_get();
  if (pipe_ends == NULL) {
    return -errno;
  }
  char *base = ptr(address);
  jlong sent = 0;
  int err = 0;
  ssize_t in_pipe = 0;
  while (sent < length && err == 0) {
    struct iovec lent = {base + sent, (size_t)(length - sent)};
    in_pipe = vmsplice(pipe_ends->write_end, &lent, 1, SPLICE_F_NONBLOCK);
    if (in_pipe <= 0) {
      err = in_pipe == 0 ? EIO : errno;
      in_pipe = 0;
      break;
    }
    while (in_pipe > 0) {
      ssize_t out = splice(pipe_ends->read_end, NULL, socket, NULL, (size_t)in_pipe, 0);
      if (out <= 0) {
        err = out == 0 ? EPIPE : errno;
        break;
      }
      sent += out;
      in_pipe -= out;
    }
  }
  if (in_pipe > 0) {
    /* Pages the socket did not take: they must not go out with the next call. */
    thread_pipe_discard(pipe_ends);
  }
  if (err == EAGAIN || err == 0 || sent > 0) {
    return sent; /* a failure after some bytes recurs on the caller's next call */
  }
  return -err;
}

JNIEXPORT jstring JNICALL Java_io_marvel_pmem_PmemNative_strerror(JNIEnv *env, jclass cls,
    jint err) {
  return (*env)->NewStringUTF(env, strerror(err));
}
