package io.marvel.faas.coordinator;

import io.marvel.faas.launcher.TaskLauncher;
import io.marvel.faas.registry.JobRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the logs of a job's task activations beside its summary, as YARN aggregates a job's
 * container logs: the embedded platform's activation records, which hold them, end with the
 * client JVM. One file per attempt, {@code <jobId>.logs/<attemptId>.log}, owner-only (a task
 * may log what only its user should read). Fetched when the activation returns, before the
 * attempt's end is recorded, so a job's logs are complete when the job is; on the embedded
 * platform that is one local request. Thread-safe.
 */
final class TaskLogs {
  private static final Logger LOG = LoggerFactory.getLogger(TaskLogs.class);

  private final JobRegistry registry;
  private final String jobId;
  private final TaskLauncher launcher;

  /**
   * @param registry the summary dir the logs go to
   * @param jobId the job
   * @param launcher fetches an activation's logs from its platform
   */
  TaskLogs(JobRegistry registry, String jobId, TaskLauncher launcher) {
    this.registry = registry;
    this.jobId = jobId;
    this.launcher = launcher;
  }

  /**
   * Saves the logs of an attempt's activation. Never throws and does not affect the attempt:
   * logs that cannot be fetched leave the reason in the file instead, a file that cannot be
   * written is logged.
   *
   * @param attemptId the attempt
   * @param activationId its activation, {@code none} if none was created
   */
  void save(String attemptId, String activationId) {
    if (activationId.equals("none")) {
      return;
    }
    Path file = registry.taskLogFile(jobId, attemptId);
    String content;
    try {
      List<String> lines = launcher.activationLogs(activationId);
      if (lines.isEmpty()) {
        return;
      }
      content = String.join("\n", lines) + "\n";
    } catch (IOException | RuntimeException e) {
      // The file says why, so a user who looks for the logs finds the reason there.
      content = "The logs of activation " + activationId + " could not be fetched: "
          + e + "\n";
    }
    try {
      registry.replace(file, content);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not keep the logs of {} (activation {}) in {}", attemptId, activationId,
          file, e);
    }
  }

  /**
   * @param attemptId the attempt
   * @return its log file, if one was saved
   */
  Optional<Path> find(String attemptId) {
    Path file = registry.taskLogFile(jobId, attemptId);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }
}
