package io.marvel.faas.task;

import io.marvel.faas.protocol.ProgressFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one attempt's progress to its {@link ProgressFiles} report, cheaply: nothing when the
 * progress has not changed by a thousandth since the last write, and at most one write per
 * interval. Called on Hadoop's reporter thread, never on the task's own, so a slow staging file
 * system delays reports, not the task. Failures are never thrown (a task must not fail because
 * its progress could not be shown) and are logged once, unless the job has ended. Thread-safe.
 */
final class ProgressReporter {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);
  private static final float STEP = 1_000f;

  private final ProgressFiles files;
  private final String attemptId;
  private final long intervalMs;
  private final LongSupplier clockMs;
  private long lastWriteMs;
  private long lastWritten = -1;
  private boolean warned;

  /**
   * @param files the job's progress files
   * @param attemptId this attempt
   * @param intervalMs least time between two writes, ms
   * @param clockMs the clock, ms
   */
  ProgressReporter(ProgressFiles files, String attemptId, long intervalMs, LongSupplier clockMs) {
    this.files = files;
    this.attemptId = attemptId;
    this.intervalMs = intervalMs;
    this.clockMs = clockMs;
  }

  /**
   * Writes the progress if it changed and the last write is at least an interval ago.
   *
   * @param progress the task's progress, 0 to 1
   */
  synchronized void report(float progress) {
    long step = Math.round(Math.max(0f, Math.min(1f, progress)) * STEP);
    long now = clockMs.getAsLong();
    if (step == lastWritten || lastWritten >= 0 && now - lastWriteMs < intervalMs) {
      return;
    }
    try {
      files.write(attemptId, step / STEP);
      lastWritten = step;
      lastWriteMs = now;
    } catch (FileNotFoundException e) {
      // The job ended and its staging dir is gone; the attempt stops at its commit gate check.
      LOG.debug("Task attempt {} has no progress dir: {}", attemptId, e.getMessage());
    } catch (IOException | RuntimeException e) {
      if (!warned) {
        warned = true;
        LOG.warn("Task attempt {} cannot report its progress in {}; its job may show stale"
            + " progress for it", attemptId, files.dir(), e);
      }
    }
  }
}
