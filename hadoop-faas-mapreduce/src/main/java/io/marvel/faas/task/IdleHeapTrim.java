package io.marvel.faas.task;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gives back the heap a task grew once its container is idle. A map allocates its whole sort
 * buffer ({@code mapreduce.task.io.sort.mb}) and the serial collector a container runs keeps what
 * it committed, so without this a warm container would hold its largest task's heap while it
 * waits, and carry it into the next task, whatever that task needs. A full collection shrinks the
 * heap to what is live (the JVM runs with {@code -XX:-ShrinkHeapInSteps}, so one collection is
 * enough). It runs {@value #IDLE_MS} ms after an activation ended if no other began meanwhile: the
 * tasks of one job's wave follow each other closer than that and keep their heap, and the next
 * task waits at most one collection of a small live set. It also runs well before a stock
 * OpenWhisk invoker freezes the idle container (its {@code pause-grace}, 10 s in
 * core/invoker/src/main/resources/application.conf), which would hold the trim until the next
 * activation. Thread-safe.
 */
final class IdleHeapTrim implements AutoCloseable {
  static final long IDLE_MS = 500;

  private final Runnable trim;
  private final long idleMs;
  private final ScheduledExecutorService timer;
  private int running;
  private ScheduledFuture<?> pending;

  /** @return a trim that runs a full collection of this JVM */
  static IdleHeapTrim ofThisJvm() {
    return new IdleHeapTrim(System::gc, IDLE_MS);
  }

  IdleHeapTrim(Runnable trim, long idleMs) {
    this.trim = trim;
    this.idleMs = idleMs;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "faas-idle-heap-trim");
      t.setDaemon(true);
      return t;
    });
  }

  /** An activation begins: a trim not yet started is called off. */
  synchronized void activationStarted() {
    running++;
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }

  /** An activation ended: the trim runs after the idle time unless another activation begins. */
  synchronized void activationEnded() {
    running--;
    if (running == 0 && !timer.isShutdown()) {
      pending = timer.schedule(this::trimIfIdle, idleMs, TimeUnit.MILLISECONDS);
    }
  }

  private void trimIfIdle() {
    synchronized (this) {
      if (running > 0) {
        return;
      }
      pending = null;
    }
    trim.run();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
