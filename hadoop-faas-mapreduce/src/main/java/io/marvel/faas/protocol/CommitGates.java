package io.marvel.faas.protocol;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Who decides the fate of a task attempt's output: the attempt itself or the coordinator.
 * OpenWhisk cannot cancel a running activation, so an attempt the user kills keeps running; its
 * gate keeps it from committing. Each attempt has one gate file in the job's staging dir, and
 * the first party to create it wins: the task creates it to claim its commit (before the
 * OutputCommitter's task commit, or before publishing its map output), the coordinator to
 * abandon the attempt. The create is exclusive and never creates the directory, so once the job
 * has ended and its staging dir is gone no late attempt can claim anything. HDFS makes the
 * exclusive create atomic; the local file system checks and creates in two steps.
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
    FSDataOutputStream gate;
    try {
      gate = fs.createFile(new Path(dir, attemptId)).overwrite(false).build();
    } catch (FileAlreadyExistsException e) {
      return false;
    }
    // The gate is its existence; it stays empty.
    gate.close();
    return true;
  }

  /** @return the gate directory */
  public Path dir() {
    return dir;
  }
}
