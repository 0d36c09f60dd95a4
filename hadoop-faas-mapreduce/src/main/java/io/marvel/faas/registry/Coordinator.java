package io.marvel.faas.registry;

import java.time.Instant;
import java.util.Optional;

/**
 * The process that coordinates a job (the JVM that submitted it), named so that another process
 * can tell whether it still runs: by pid and, since pids are reused, by its start time.
 *
 * @param pid the operating system's process id
 * @param startMs when the process started, epoch ms; 0 if the platform does not tell
 */
public record Coordinator(long pid, long startMs) {
  /** Start times of one process read at different moments may differ by rounding. */
  private static final long START_TOLERANCE_MS = 1_000;

  /** @return this JVM */
  public static Coordinator current() {
    ProcessHandle self = ProcessHandle.current();
    return new Coordinator(self.pid(), startMs(self));
  }

  /** @return true if the process still runs (and is not another process with the same pid) */
  boolean alive() {
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return false;
    }
    long started = startMs(process.get());
    return startMs == 0 || started == 0 || Math.abs(started - startMs) <= START_TOLERANCE_MS;
  }

  private static long startMs(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }
}
