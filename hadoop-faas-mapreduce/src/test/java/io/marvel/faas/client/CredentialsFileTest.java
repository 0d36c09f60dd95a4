package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The credentials file a job's tasks read from its staging dir. */
class CredentialsFileTest {
  private static final Text KEY = new Text("shuffle-secret");
  private static final byte[] SECRET = "s3cr3t".getBytes(StandardCharsets.UTF_8);

  @Test
  void onTheLocalFileSystemTheFileIsCompleteAndOwnerOnly() throws Exception {
    java.nio.file.Path dir = Files.createTempDirectory("faas-credentials-");
    try {
      FileSystem fs = FileSystem.getLocal(new Configuration());
      Path file = new Path(dir.toUri().toString(), "faas-tokens");
      CredentialsFile.write(fs, file, credentials(), Runnable::run);
      assertSecret(fs, file);
      assertEquals("rw-------", fs.getFileStatus(file).getPermission().toString());
    } finally {
      org.apache.hadoop.fs.FileUtil.fullyDelete(dir.toFile());
    }
  }

  @Test
  @Tag("integration")
  void onHdfsTasksCanReadTheFileAsSoonAsSubmissionGoesOn() throws Exception {
    Configuration conf = new Configuration();
    java.nio.file.Path base = Files.createTempDirectory("faas-credentials-dfs-");
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, base.toFile()).numDataNodes(1)
        .build();
    try {
      cluster.waitActive();
      FileSystem fs = cluster.getFileSystem();
      for (int i = 0; i < 5; i++) {
        Path file = new Path("/staging/job-" + i + "/faas-tokens");
        CredentialsFile.write(fs, file, credentials(), Runnable::run);
        // Read at once, while the close may still be waiting for the NameNode.
        assertSecret(fs, file);
        assertEquals("rw-------", fs.getFileStatus(file).getPermission().toString());
      }
    } finally {
      cluster.shutdown(true);
      org.apache.hadoop.fs.FileUtil.fullyDelete(base.toFile());
    }
  }

  private static Credentials credentials() {
    Credentials credentials = new Credentials();
    credentials.addSecretKey(KEY, SECRET);
    return credentials;
  }

  private static void assertSecret(FileSystem fs, Path file) throws IOException {
    Credentials read = new Credentials();
    try (FSDataInputStream in = fs.open(file)) {
      read.readTokenStorageStream(new DataInputStream(in));
    }
    assertArrayEquals(SECRET, read.getSecretKey(KEY));
  }
}
