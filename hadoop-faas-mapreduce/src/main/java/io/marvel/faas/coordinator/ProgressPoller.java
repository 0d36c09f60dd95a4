package io.marvel.faas.coordinator;

import io.marvel.faas.protocol.ProgressFiles;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of the {@link ProgressFiles} channel: each poll lists the job's
 * progress files once and reads only those of running attempts that changed since the last
 * poll, and hands the progress to the {@link LiveAttempt}. A poll that fails leaves the progress
 * as it was; the next tries again. Called from one thread at a time (the job's status tick).
 */
final class ProgressPoller {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressPoller.class);

  private final ProgressFiles files;
  private final JobProgress progress;
  private final Map<String, Long> seen = new HashMap<>();

  /**
   * @param files the job's progress files
   * @param progress the job, whose live attempts get the progress
   */
  ProgressPoller(ProgressFiles files, JobProgress progress) {
    this.files = files;
    this.progress = progress;
  }

  /** Reads the changed reports of the attempts running now. */
  synchronized void poll() {
    List<LiveAttempt> live = progress.live();
    Set<String> running = new HashSet<>();
    live.forEach(a -> running.add(a.attemptId()));
    seen.keySet().retainAll(running);
    if (live.isEmpty()) {
      return;
    }
    try {
      Map<String, Long> reports = files.list();
      for (LiveAttempt attempt : live) {
        Long modified = reports.get(attempt.attemptId());
        if (modified == null || modified.equals(seen.get(attempt.attemptId()))) {
          continue;
        }
        Optional<Float> reported = files.read(attempt.attemptId());
        if (reported.isPresent()) {
          attempt.progress(reported.get());
          seen.put(attempt.attemptId(), modified);
        }
      }
    } catch (IOException e) {
      LOG.debug("Could not read the task progress in {}; trying again at the next tick",
          files.dir(), e);
    }
  }
}
