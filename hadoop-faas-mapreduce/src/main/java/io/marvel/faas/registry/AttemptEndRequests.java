package io.marvel.faas.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.mapreduce.TaskAttemptID;

/**
 * Requests that a job's coordinator kill or fail one task attempt ({@code mapred job -kill-task}
 * / {@code -fail-task} from another process), and the coordinator's answers, in a directory of
 * their own per job in the registry ({@code <jobId>.tasks/}), so that the coordinator's look at
 * each tick reads only its own job's requests: {@code <attemptId>.kill-task} or
 * {@code <attemptId>.fail-task} asks, {@code <attemptId>.task-end} answers whether the attempt
 * was ended. A request is taken by deleting it, so exactly one party acts on it. Thread-safe, as
 * the file system is.
 */
final class AttemptEndRequests {
  private static final String KILL = ".kill-task";
  private static final String FAIL = ".fail-task";
  private static final String ANSWER = ".task-end";

  /** A waiting request. */
  record Request(String attemptId, boolean fail) {
  }

  private final JobRegistry registry;

  AttemptEndRequests(JobRegistry registry) {
    this.registry = registry;
  }

  /**
   * Asks the coordinator to end the attempt.
   *
   * @return false if a request for it was waiting already
   * @throws IOException if the request cannot be written
   */
  boolean request(String attemptId, boolean fail) throws IOException {
    return registry.createRequest(fileOf(attemptId, fail ? FAIL : KILL));
  }

  /** @return true if this call removed a request for the attempt nobody had taken */
  boolean withdraw(String attemptId) throws IOException {
    boolean kill = Files.deleteIfExists(fileOf(attemptId, KILL));
    return Files.deleteIfExists(fileOf(attemptId, FAIL)) || kill;
  }

  /**
   * Takes the waiting requests for attempts of a job.
   *
   * @param jobId the job
   * @return the requests this call took
   * @throws IOException if the job's request dir cannot be listed
   */
  List<Request> take(String jobId) throws IOException {
    List<Request> taken = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(jobDir(jobId), "*-task")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        boolean fail = name.endsWith(FAIL);
        if ((fail || name.endsWith(KILL)) && Files.deleteIfExists(file)) {
          taken.add(new Request(name.substring(0, name.length() - (fail ? FAIL : KILL)
              .length()), fail));
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      // Nobody asked anything of this job.
    }
    return taken;
  }

  /** Tells the requester whether the attempt was ended. */
  void answer(String attemptId, boolean ended) throws IOException {
    registry.replace(fileOf(attemptId, ANSWER), Boolean.toString(ended));
  }

  /** @return the coordinator's answer for the attempt, removed, or empty if none yet */
  Optional<Boolean> takeAnswer(String attemptId) throws IOException {
    Path file = fileOf(attemptId, ANSWER);
    try {
      boolean ended = Boolean.parseBoolean(Files.readString(file, StandardCharsets.UTF_8).trim());
      Files.deleteIfExists(file);
      return Optional.of(ended);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private Path jobDir(String jobId) {
    return registry.dir().resolve(jobId + ".tasks");
  }

  private Path fileOf(String attemptId, String suffix) {
    String jobId = TaskAttemptID.forName(attemptId).getJobID().toString();
    return jobDir(jobId).resolve(attemptId + suffix);
  }
}
