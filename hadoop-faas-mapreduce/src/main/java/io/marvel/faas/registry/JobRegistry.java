package io.marvel.faas.registry;

import io.marvel.faas.settings.FaasSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs of this host and user, as files in the job summary dir, so that a process other than
 * a job's coordinator ({@code mapred job -list}, {@code -status}, {@code -kill} from another
 * terminal) can see and kill it: {@code <jobId>.status} is the coordinator's latest
 * {@link JobSnapshot}, replaced atomically; {@code <jobId>.kill} asks the coordinator to kill the
 * job and is removed by whoever acts on it; {@code <jobId>_conf.xml} is the job's configuration.
 * Files are owner-only. Thread-safe: every operation is one file system call that is atomic on
 * a local POSIX file system (rename, exclusive create, delete).
 */
public final class JobRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(JobRegistry.class);
  static final String STATUS_SUFFIX = ".status";
  static final String KILL_SUFFIX = ".kill";
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final Path dir;

  /** @param dir the job summary dir; created when the first status is published */
  public JobRegistry(Path dir) {
    this.dir = dir;
  }

  /** @return the registry in the summary dir of the settings */
  public static JobRegistry of(FaasSettings settings) {
    return new JobRegistry(Path.of(settings.summaryDir()));
  }

  Path dir() {
    return dir;
  }

  Path statusFile(String jobId) {
    return dir.resolve(jobId + STATUS_SUFFIX);
  }

  public Path killFile(String jobId) {
    return dir.resolve(jobId + KILL_SUFFIX);
  }

  public Path jobConfFile(String jobId) {
    return dir.resolve(jobId + "_conf.xml");
  }

  /**
   * Writes the job's configuration, as the history server keeps {@code <jobId>_conf.xml}:
   * Hadoop's {@code Cluster.getJob} in any process parses the job file of a job's status as a
   * local file. Owner-only, as the staging dir is: a configuration may carry store keys.
   *
   * @return the file
   * @throws IOException if it cannot be written
   * @throws UnsupportedOperationException if the file system has no POSIX permissions
   */
  public Path writeJobConf(String jobId, Configuration job) throws IOException {
    Path file = jobConfFile(jobId);
    Files.createDirectories(dir);
    Files.deleteIfExists(file);
    Files.createFile(file, OWNER_ONLY);
    try (OutputStream out = Files.newOutputStream(file)) {
      job.writeXml(out);
    }
    return file;
  }

  /** @return the dir of the job's task logs */
  public Path taskLogDir(String jobId) {
    return dir.resolve(jobId + ".logs");
  }

  /** @return the file that keeps the logs of one of the job's task attempts */
  public Path taskLogFile(String jobId, String attemptId) {
    return taskLogDir(jobId).resolve(attemptId + ".log");
  }

  /** @return the job's summary, written when the job ends */
  Path summaryFile(String jobId) {
    return dir.resolve(jobId + ".json");
  }

  /**
   * Replaces the job's status file: written to a temporary file first and renamed over the old
   * one, so a reader sees the old snapshot or the new one, never a partial file.
   *
   * @throws IOException if the dir or file cannot be written
   */
  void publish(JobSnapshot snapshot) throws IOException {
    replace(statusFile(snapshot.jobId()), SnapshotJson.write(snapshot));
  }

  /**
   * Replaces a file of the registry, owner-only, through a temporary file renamed over it: a
   * reader sees the old content or the new, never a partial file.
   *
   * @throws IOException if the file cannot be written
   */
  public void replace(Path file, String content) throws IOException {
    createParent(file);
    Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
        OWNER_ONLY);
    try {
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(temp);
      throw new IOException("the job summary dir " + dir + " does not support atomic renames;"
          + " set mapreduce.faas.summary.dir to a local directory", e);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /**
   * Creates the dir of a registry file: the registry dir itself, or a job's dir in it (task
   * logs, task requests), which is owner-only like the files in it.
   */
  private void createParent(Path file) throws IOException {
    Files.createDirectories(dir);
    Path parent = file.getParent();
    if (!parent.equals(dir)) {
      try {
        Files.createDirectory(parent, OWNER_ONLY_DIR);
      } catch (FileAlreadyExistsException e) {
        // Made by an earlier file of the job.
      }
    }
  }

  /**
   * Creates an empty owner-only request file, exclusively.
   *
   * @return false if it exists already
   * @throws IOException if it cannot be created
   */
  boolean createRequest(Path file) throws IOException {
    createParent(file);
    try {
      Files.createFile(file, OWNER_ONLY);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }


  /**
   * @return the job's latest snapshot as its coordinator published it, empty if the registry
   *     has none
   * @throws IOException if the status file exists but cannot be read or parsed
   */
  public Optional<JobSnapshot> read(String jobId) throws IOException {
    Path file = statusFile(jobId);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(SnapshotJson.read(text));
    } catch (IOException e) {
      throw new IOException("cannot read the status of job " + jobId + " from " + file + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * @return every job's latest snapshot, in job id order; status files that cannot be read are
   *     logged and left out, so that one bad file does not hide every other job
   * @throws IOException if the dir cannot be listed
   */
  List<JobSnapshot> list() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> entries = Files.list(dir)) {
      files = entries.filter(p -> p.getFileName().toString().endsWith(STATUS_SUFFIX)
          && !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
    List<JobSnapshot> snapshots = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      try {
        read(name.substring(0, name.length() - STATUS_SUFFIX.length()))
            .ifPresent(snapshots::add);
      } catch (IOException e) {
        LOG.warn("Leaving out of the job list: {}", e.getMessage());
      }
    }
    return snapshots;
  }

  /**
   * Asks the job's coordinator to kill the job.
   *
   * @return false if a request was already waiting
   * @throws IOException if the request cannot be written
   */
  boolean requestKill(String jobId) throws IOException {
    return createRequest(killFile(jobId));
  }

  /**
   * Takes the job's kill request, if any: of several takers (the coordinator acting on it, a
   * client giving up, the coordinator's final clean-up) exactly one gets true.
   *
   * @throws IOException if the request cannot be removed
   */
  boolean takeKillRequest(String jobId) throws IOException {
    return Files.deleteIfExists(killFile(jobId));
  }
}
