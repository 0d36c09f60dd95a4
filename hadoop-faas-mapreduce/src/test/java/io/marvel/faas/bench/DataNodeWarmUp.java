package io.marvel.faas.bench;

import java.io.IOException;
import java.util.Random;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Warms the simulated hosts' DataNodes before {@link HostsBenchmark} times its jobs, as the
 * DataNodes of a cluster that has run for a while are warm: every run starts fresh DataNode
 * JVMs, whose JIT compilers otherwise compile their write and read paths while the timed job
 * runs (measured: 4.5 s of the three PMEM DataNodes' CPU during a terasort, 2.4 s of the stock
 * ones'). Writes a few files with a replica on every DataNode, reads each back a few times
 * (each read from a DataNode the NameNode picks), and deletes them.
 */
final class DataNodeWarmUp {
  private static final int FILES = 4;
  private static final long FILE_BYTES = 96L << 20;
  private static final int READS = 3;
  private static final int BUFFER = 1 << 20;

  private DataNodeWarmUp() {
  }

  /**
   * @param fs a client of the hosts' HDFS
   * @param dir a directory for the files, deleted after
   * @param replication a replica on each of this many DataNodes
   * @throws IOException if writing or reading fails
   */
  static void run(FileSystem fs, Path dir, short replication) throws IOException {
    byte[] buffer = new byte[BUFFER];
    new Random(17).nextBytes(buffer);
    try {
      for (int i = 0; i < FILES; i++) {
        try (FSDataOutputStream out = fs.create(new Path(dir, "file-" + i), true, BUFFER,
            replication, 128L << 20)) {
          for (long written = 0; written < FILE_BYTES; written += BUFFER) {
            out.write(buffer);
          }
        }
      }
      for (int read = 0; read < READS; read++) {
        for (int i = 0; i < FILES; i++) {
          try (FSDataInputStream in = fs.open(new Path(dir, "file-" + i), BUFFER)) {
            while (in.read(buffer) >= 0) {
              // Only the DataNodes' work matters.
            }
          }
        }
      }
    } finally {
      fs.delete(dir, true);
    }
  }
}
