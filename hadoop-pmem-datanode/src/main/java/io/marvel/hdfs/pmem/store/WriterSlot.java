package io.marvel.hdfs.pmem.store;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The thread allowed to write a replica. Recovery and a new pipeline take the slot over by
 * stopping the previous writer first. Thread-safe.
 */
final class WriterSlot {
  private final AtomicReference<Thread> writer = new AtomicReference<>();

  void set(Thread thread) {
    writer.set(thread);
  }

  boolean compareAndSet(Thread expected, Thread replacement) {
    return writer.compareAndSet(expected, replacement);
  }

  void interrupt() {
    Thread thread = writer.get();
    if (thread != null && thread != Thread.currentThread() && thread.isAlive()) {
      thread.interrupt();
    }
  }

  /**
   * Interrupts the writer and waits for it to end, then empties the slot.
   *
   * @param timeoutMs how long to wait for the writer, in milliseconds
   * @param replica named in errors
   * @throws IOException if the writer does not end in time or the wait is interrupted
   */
  void stop(long timeoutMs, Object replica) throws IOException {
    while (true) {
      Thread thread = writer.get();
      if (thread == null || thread == Thread.currentThread() || !thread.isAlive()) {
        if (writer.compareAndSet(thread, null)) {
          return;
        }
        continue;
      }
      thread.interrupt();
      try {
        thread.join(timeoutMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stopping writer " + thread + " of " + replica, e);
      }
      if (thread.isAlive()) {
        throw new IOException("writer " + thread + " of " + replica + " did not stop within "
            + timeoutMs + " ms");
      }
    }
  }
}
