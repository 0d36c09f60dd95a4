package io.marvel.faas.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Requests, in the job registry's dir, that a job's coordinator kill or fail one task attempt
 * ({@code mapred job -kill-task} / {@code -fail-task} from another process), and the
 * coordinator's answers: {@code <attemptId>.kill-task} or {@code <attemptId>.fail-task} asks,
 * {@code <attemptId>.task-end} answers whether the attempt was ended. A request is taken by
 * deleting it, so exactly one party acts on it. Thread-safe, as the file system is.
 */
final class AttemptEndRequests {
  private static final String KILL = ".kill-task";
  private static final String FAIL = ".fail-task";
  private static final String ANSWER = ".task-end";

  /** A waiting request. */
  record Request(String attemptId, boolean fail) {
  }

  private final Path dir;

  AttemptEndRequests(Path dir) {
    this.dir = dir;
  }

  /**
   * Asks the coordinator to end the attempt.
   *
   * @return false if a request for it was waiting already
   * @throws IOException if the request cannot be written
   */
  boolean request(String attemptId, boolean fail) throws IOException {
    Files.createDirectories(dir);
    try {
      Files.createFile(dir.resolve(attemptId + (fail ? FAIL : KILL)),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /** @return true if this call removed a request for the attempt nobody had taken */
  boolean withdraw(String attemptId) throws IOException {
    boolean kill = Files.deleteIfExists(dir.resolve(attemptId + KILL));
    return Files.deleteIfExists(dir.resolve(attemptId + FAIL)) || kill;
  }

  /**
   * Takes the waiting requests for attempts of a job.
   *
   * @param jobId the job, {@code job_<cluster>_<n>}
   * @return the requests this call took
   * @throws IOException if the dir cannot be listed
   */
  List<Request> take(String jobId) throws IOException {
    String prefix = "attempt_" + jobId.substring("job_".length()) + "_";
    List<Request> taken = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return taken;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*-task")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        boolean fail = name.endsWith(FAIL);
        if ((fail || name.endsWith(KILL)) && Files.deleteIfExists(file)) {
          taken.add(new Request(name.substring(0, name.length() - (fail ? FAIL : KILL)
              .length()), fail));
        }
      }
    }
    return taken;
  }

  /** Tells the requester whether the attempt was ended. */
  void answer(String attemptId, boolean ended) throws IOException {
    Path temp = Files.createTempFile(dir, attemptId, ".tmp");
    Files.writeString(temp, Boolean.toString(ended), StandardCharsets.UTF_8);
    Files.move(temp, dir.resolve(attemptId + ANSWER), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** @return the coordinator's answer for the attempt, removed, or empty if none yet */
  Optional<Boolean> takeAnswer(String attemptId) throws IOException {
    Path file = dir.resolve(attemptId + ANSWER);
    try {
      boolean ended = Boolean.parseBoolean(Files.readString(file, StandardCharsets.UTF_8).trim());
      Files.deleteIfExists(file);
      return Optional.of(ended);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }
}
