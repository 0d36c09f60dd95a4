package io.marvel.faas.client;

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
 * coordinator goes on, so a job's logs are complete when the job is. Thread-safe.
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
   * Saves the logs of an attempt's activation. A failure to fetch or write them is logged and
   * does not affect the attempt.
   *
   * @param attemptId the attempt
   * @param activationId its activation, {@code none} if none was created
   * @return the log file, empty if there was no activation or its platform keeps no logs
   */
  Optional<Path> save(String attemptId, String activationId) {
    if (activationId.equals("none")) {
      return Optional.empty();
    }
    Path file = registry.taskLogFile(jobId, attemptId);
    String content;
    try {
      List<String> lines = launcher.activationLogs(activationId);
      if (lines.isEmpty()) {
        return Optional.empty();
      }
      content = String.join("\n", lines) + "\n";
    } catch (IOException e) {
      // The file says why, so a user who looks for the logs finds the reason there.
      content = "The logs of activation " + activationId + " could not be fetched: "
          + e.getMessage() + "\n";
    }
    try {
      registry.replace(file, content);
      return Optional.of(file);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not keep the logs of {} (activation {}) in {}", attemptId, activationId,
          file, e);
      return Optional.empty();
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
