package io.marvel.hdfs.pmem.store;

import java.nio.file.Path;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Who may use a block file's mappings: calls share the guard, remapping and
 * {@link BlockFile#handOver} take it exclusively, so they wait for the calls in flight; once the
 * mappings were handed over to a new owner, every use of the old one fails. Thread-safe.
 */
final class HandOverGuard {
  private final ReentrantReadWriteLock access = new ReentrantReadWriteLock();
  private final Supplier<Path> path;
  /** Written under the exclusive lock, read under either. */
  private boolean handedOver;

  /** @param path names the file in messages (it changes when the file is moved) */
  HandOverGuard(Supplier<Path> path) {
    this.path = path;
  }

  /**
   * Holds off remapping and hand-over until the returned lock is released.
   *
   * @throws IllegalStateException if the mappings were handed over
   */
  Lock use() {
    Lock lock = access.readLock();
    lock.lock();
    if (handedOver) {
      lock.unlock();
      throw recycled();
    }
    return lock;
  }

  /** @return the exclusive lock, held once calls in flight have finished */
  Lock exclusive() {
    Lock lock = access.writeLock();
    lock.lock();
    return lock;
  }

  /** Under {@link #exclusive()}: @return true once the mappings were handed over */
  boolean isHandedOver() {
    return handedOver;
  }

  /**
   * Under {@link #exclusive()}: fails if the mappings were handed over.
   *
   * @throws IllegalStateException if they were
   */
  void checkNotHandedOver() {
    if (handedOver) {
      throw recycled();
    }
  }

  /**
   * Under {@link #exclusive()}: marks the mappings handed over.
   *
   * @throws IllegalStateException if they were handed over already
   */
  void markHandedOver() {
    if (handedOver) {
      throw new IllegalStateException("block file " + path.get() + " was handed over already");
    }
    handedOver = true;
  }

  private IllegalStateException recycled() {
    return new IllegalStateException("block file " + path.get()
        + " was recycled for another replica");
  }
}
