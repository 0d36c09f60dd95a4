package io.marvel.faas.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;

/** What the tests compare of a finished job: its output bytes and, when it failed, why. */
public final class JobOutputs {
  private JobOutputs() {
  }

  /**
   * @param fs the job's output file system
   * @param dir the job's output dir
   * @return the bytes of every part file in the dir, concatenated in name order
   * @throws IOException if the dir cannot be listed or a part read
   */
  public static byte[] partFiles(FileSystem fs, Path dir) throws IOException {
    FileStatus[] parts = fs.listStatus(dir, p -> p.getName().startsWith("part-"));
    Arrays.sort(parts);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (FileStatus part : parts) {
      try (InputStream in = fs.open(part.getPath())) {
        in.transferTo(all);
      }
    }
    return all.toByteArray();
  }

  /**
   * @param job a job that has ended
   * @return its failure info, or why that could not be read
   */
  public static String failureInfo(Job job) {
    try {
      return job.getStatus().getFailureInfo();
    } catch (IOException | InterruptedException e) {
      return e.toString();
    }
  }
}
