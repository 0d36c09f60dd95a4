package io.marvel.faas.protocol;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Who decides the fate of a task attempt's output: the attempt itself or the coordinator.
 * OpenWhisk cannot cancel a running activation, so an attempt the user kills keeps running until
 * it notices its closed gate (the task interrupts itself at its next status update); the gate
 * keeps it from committing meanwhile, even if it never notices. Each attempt has one gate file
 * in the job's staging dir, and the first party to create it wins: the task creates it to claim
 * its commit (before the OutputCommitter's task commit, or before publishing its map output),
 * the coordinator to abandon the attempt. The create is exclusive and never creates the
 * directory, so once the job has ended and its staging dir is gone no late attempt can claim
 * anything. HDFS makes the exclusive create atomic; Hadoop's local file system checks and then
 * creates, so a local gate is created directly with the operating system's exclusive create.
 *
 * <p>Thread-safe, as the file system is.
 */
public final class CommitGates {
  /** Directory of the gate files in the job's staging dir. */
  public static final String DIR = "faas-commit-gates";

  private final FileSystem fs;
  private final Path dir;

  /**
   * @param fs the file system of the staging dir
   * @param jobSubmitDir the job's staging dir
   */
  public CommitGates(FileSystem fs, Path jobSubmitDir) {
    this.fs = fs;
    this.dir = new Path(jobSubmitDir, DIR);
  }

  /**
   * Creates the gate directory; the coordinator does this before any attempt runs.
   *
   * @throws IOException if the directory cannot be created
   */
  public void prepare() throws IOException {
    if (!fs.mkdirs(dir)) {
      throw new IOException("cannot create the commit gate dir " + dir);
    }
  }

  /**
   * Closes an attempt's gate for everyone else.
   *
   * @param attemptId the task attempt
   * @return true if this call closed it, false if it was closed already (by the other party)
   * @throws IOException if the gate cannot be created for another reason, such as the staging
   *     dir being gone because the job ended
   */
  public boolean claim(String attemptId) throws IOException {
    Path path = new Path(dir, attemptId);
    if ("file".equals(fs.getScheme())) {
      return claimLocal(fs.makeQualified(path));
    }
    FSDataOutputStream gate;
    try {
      gate = fs.createFile(path).overwrite(false).build();
    } catch (FileAlreadyExistsException e) {
      return false;
    }
    // The gate is its existence; it stays empty.
    gate.close();
    return true;
  }

  /**
   * @param attemptId the task attempt
   * @return true if the attempt's gate is closed (by whoever claimed it) or the gate dir is
   *     gone because the job ended: either way the attempt, unless it claimed the gate itself,
   *     can never commit
   * @throws IOException if the file system cannot be asked
   */
  public boolean isClosed(String attemptId) throws IOException {
    return fs.exists(new Path(dir, attemptId)) || !fs.exists(dir);
  }

  private boolean claimLocal(Path gate) throws IOException {
    try {
      Files.createFile(Paths.get(gate.toUri()));
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return false;
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException("commit gate dir " + dir + " does not exist: the job "
          + "has ended");
    }
  }

  /**
   * Closes the gate of every attempt that has not claimed its own, for a job being killed: the
   * gate directory goes, so no later claim can succeed (an attempt that claimed before keeps
   * its claim).
   *
   * @throws IOException if the directory cannot be removed
   */
  public void closeAll() throws IOException {
    if (fs.exists(dir) && !fs.delete(dir, true)) {
      throw new IOException("cannot remove the commit gate dir " + dir);
    }
  }

  /** @return the gate directory */
  public Path dir() {
    return dir;
  }
}
