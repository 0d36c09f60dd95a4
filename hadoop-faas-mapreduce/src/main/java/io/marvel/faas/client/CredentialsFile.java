package io.marvel.faas.client;

import java.io.IOException;
import java.util.concurrent.Executor;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.IOUtils;
import org.apache.hadoop.security.Credentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a job's credentials into its staging dir, readable by the owner only, where its tasks
 * read them: the way YARN hands a job's tokens to its containers.
 *
 * <p>On HDFS the file is readable as soon as it is flushed, but closing it waits until the
 * NameNode has heard from the DataNode about the block, which often costs the client's first
 * 400 ms back-off: a large part of a small job's run time. So where the stream's flush makes
 * the bytes visible to readers the close finishes in the background; elsewhere (the local
 * file system, whose checksums are complete only after the close) it closes before returning.
 */
final class CredentialsFile {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialsFile.class);
  private CredentialsFile() {
  }

  /**
   * @param credentials the job's credentials, or null for none
   * @param closer runs the closes that finish in the background
   * @throws IOException if the file cannot be created or written
   */
  static void write(FileSystem fs, Path file, Credentials credentials, Executor closer)
      throws IOException {
    Credentials written = credentials == null ? new Credentials() : credentials;
    FSDataOutputStream out = FileSystem.create(fs, file, new FsPermission((short) 0600));
    boolean closeLater;
    try {
      written.writeTokenStorageToStream(out);
      closeLater = out.hasCapability(StreamCapabilities.HFLUSH);
      if (closeLater) {
        out.hflush();
      }
    } catch (IOException | RuntimeException e) {
      IOUtils.closeStream(out);
      throw e;
    }
    if (closeLater) {
      closer.execute(() -> close(out, file));
    } else {
      out.close();
    }
  }

  private static void close(FSDataOutputStream out, Path file) {
    try {
      out.close();
    } catch (IOException e) {
      // A job that ended within the close removed its staging dir, this file with it.
      LOG.debug("Closing credentials file {} failed; its job may have ended already", file, e);
    }
  }
}
