package io.marvel.faas.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * Waits before a timed job until the machine's CPUs are quiet, so that a job is not timed
 * while the work its set-up started is still running: JIT compilation of the warm-up's code,
 * a PMEM DataNode preparing block files after the warm-up deleted its blocks, garbage
 * collection. Every mode waits the same way, so each is timed from the same idle state, the
 * state in which a cluster between jobs receives one. Quiet means at most {@link #QUIET_BUSY}
 * of the CPUs' time busy over {@link #WINDOWS} consecutive windows of {@link #WINDOW_MS}, as
 * {@code /proc/stat} counts it (steal, time the hypervisor gave to others, counts as neither).
 * Waits at most {@link #MAX_WAIT_MS}, then goes on and says so.
 */
final class QuietMachine {
  static final double QUIET_BUSY = 0.10;
  static final long WINDOW_MS = 500;
  /**
   * Three seconds: well beyond the second a PMEM DataNode's pool waits for a quiet volume before
   * it prepares files (and a delete the NameNode sends a heartbeat later makes it wait again),
   * so a pool that still has work has started it and shows as busy.
   */
  static final int WINDOWS = 6;
  static final long MAX_WAIT_MS = 60_000;
  private static final Path PROC_STAT = Paths.get("/proc/stat");

  private QuietMachine() {
  }

  /** CPU time of all CPUs, in clock ticks, from the {@code cpu} line of {@code /proc/stat}. */
  record CpuTimes(long busy, long idle) {
    /**
     * @param line the first line of {@code /proc/stat}: {@code cpu user nice system idle
     *     iowait irq softirq steal ...}
     * @return its busy (user, nice, system, irq, softirq) and idle (idle, iowait) ticks
     */
    static CpuTimes parse(String line) {
      String[] f = line.trim().split("\\s+");
      if (!f[0].equals("cpu") || f.length < 8) {
        throw new IllegalArgumentException("not the cpu line of /proc/stat: " + line);
      }
      long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
          + Long.parseLong(f[6]) + Long.parseLong(f[7]);
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new CpuTimes(busy, idle);
    }

    /** @return the fraction of CPU time busy from {@code earlier} to this, 0 when none passed */
    double busySince(CpuTimes earlier) {
      long busyTicks = busy - earlier.busy;
      long all = busyTicks + idle - earlier.idle;
      return all <= 0 ? 0 : (double) busyTicks / all;
    }
  }

  /** How long a wait took and how busy the CPUs were in its last window. */
  record Wait(double seconds, double lastBusy, boolean quiet) {
    String describe() {
      return String.format(Locale.ROOT, "waited %.1f s for quiet CPUs (last %d ms %.0f%% busy)%s",
          seconds, WINDOW_MS, lastBusy * 100, quiet ? "" : ", gave up: timing the job anyway");
    }
  }

  /**
   * Waits until quiet or {@link #MAX_WAIT_MS} passed, and prints how long it waited to
   * standard error (the run's log).
   */
  static void await() throws IOException, InterruptedException {
    long start = System.nanoTime();
    CpuTimes last = read();
    int quietWindows = 0;
    double busy = 1;
    while (quietWindows < WINDOWS && System.nanoTime() - start < MAX_WAIT_MS * 1_000_000) {
      Thread.sleep(WINDOW_MS);
      CpuTimes now = read();
      busy = now.busySince(last);
      last = now;
      quietWindows = busy <= QUIET_BUSY ? quietWindows + 1 : 0;
    }
    Wait wait = new Wait((System.nanoTime() - start) / 1e9, busy, quietWindows >= WINDOWS);
    System.err.println("bench: " + wait.describe());
  }

  private static CpuTimes read() throws IOException {
    try (var lines = Files.lines(PROC_STAT)) {
      return CpuTimes.parse(lines.findFirst().orElseThrow(
          () -> new IOException(PROC_STAT + " is empty")));
    }
  }
}
