package io.marvel.faas.state;

import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.protocol.StoreLocation;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Map outputs as files on a Hadoop file system (normally HDFS), one per map, in
 * {@code <root>/<jobId>/}; the stateless baseline and the store for many hosts. An entry is
 * written under a temporary name and renamed into place once closed. Thread-safe.
 */
final class HdfsStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(HdfsStateStore.class);
  private static final FsPermission JOB_DIR_PERMISSION = new FsPermission((short) 0700);

  private final StoreLocation location;
  private final String jobId;
  private final Path jobDir;
  private final FileSystem fs;
  private final String storagePolicy;

  HdfsStateStore(StoreLocation location, String jobId, Configuration conf, String storagePolicy)
      throws IOException {
    this.location = location;
    this.jobId = jobId;
    this.storagePolicy = storagePolicy;
    Path root = new Path(URI.create(location.root()));
    this.fs = root.getFileSystem(conf);
    this.jobDir = new Path(fs.makeQualified(root), jobId);
  }

  @Override
  public StoreLocation location() {
    return location;
  }

  @Override
  public void prepare() throws IOException {
    if (!fs.exists(jobDir)) {
      try {
        fs.mkdirs(jobDir, JOB_DIR_PERMISSION);
      } catch (IOException e) {
        throw new IOException("cannot create state dir " + jobDir + " for job " + jobId + " ("
            + e.getMessage() + "); set mapreduce.faas.state.hdfs.dir to a writable directory",
            e);
      }
      if (!storagePolicy.isEmpty()) {
        fs.setStoragePolicy(jobDir, storagePolicy);
      }
    }
  }

  @Override
  public long publishMapOutput(int mapIndex, java.nio.file.Path dataFile,
      List<PartitionRange> partitions) throws IOException {
    if (!fs.exists(jobDir)) {
      throw new FileNotFoundException("state dir " + jobDir + " of job " + jobId
          + " does not exist: the job has ended or was never prepared");
    }
    MapOutputLayout layout = new MapOutputLayout(partitions, Files.size(dataFile));
    Path target = entry(mapIndex);
    Path temp = target.suffix(".tmp");
    boolean done = false;
    try {
      try (FSDataOutputStream out = fs.create(temp, true);
          InputStream in = Files.newInputStream(dataFile)) {
        out.write(layout.header());
        out.write(layout.table());
        IOUtils.copyBytes(in, out, 1 << 16, false);
        out.hsync();
      }
      // A retried map replaces what an earlier attempt published.
      fs.delete(target, false);
      if (!fs.rename(temp, target)) {
        throw new IOException("cannot rename " + temp + " to " + target + " for job " + jobId);
      }
      done = true;
    } finally {
      if (!done) {
        fs.delete(temp, false);
      }
    }
    LOG.debug("Published map {} of job {}: {} bytes in {}", mapIndex, jobId,
        layout.totalLength(), target);
    return layout.totalLength();
  }

  @Override
  public MapOutputReader openMapOutput(int mapIndex) throws IOException {
    Path file = entry(mapIndex);
    long length;
    try {
      length = fs.getFileStatus(file).getLen();
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException("map " + mapIndex + " of job " + jobId
          + " has no output in state store " + jobDir);
    }
    FSDataInputStream in = fs.open(file);
    try {
      byte[] header = new byte[MapOutputLayout.HEADER_BYTES];
      if (length < header.length) {
        throw new CorruptMapOutputException(file + " is shorter than a map output header: the"
            + " map attempt that wrote it did not finish");
      }
      in.readFully(0, header);
      int count = MapOutputLayout.partitionCount(header, file.toString(), length);
      byte[] table = new byte[MapOutputLayout.ENTRY_BYTES * count];
      in.readFully(MapOutputLayout.HEADER_BYTES, table);
      return new FileReader(in, MapOutputLayout.decode(header, table));
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  @Override
  public void removeJob() throws IOException {
    fs.delete(jobDir, true);
    LOG.debug("Removed state of job {} in {}", jobId, jobDir);
  }

  @Override
  public List<String> sweepStale(long ttlMs) throws IOException {
    long cutoff = System.currentTimeMillis() - ttlMs;
    List<String> swept = new ArrayList<>();
    for (FileStatus other : fs.listStatus(jobDir.getParent())) {
      String name = other.getPath().getName();
      if (other.isDirectory() && name.startsWith("job_") && !name.equals(jobId)
          && other.getModificationTime() < cutoff) {
        fs.delete(other.getPath(), true);
        swept.add(name);
      }
    }
    return swept;
  }

  /** The container's own scratch dir serves: spills are local, the state is not. */
  @Override
  public Optional<java.nio.file.Path> attemptScratchDir(String attemptId) {
    return Optional.empty();
  }

  @Override
  public FaasCounter shuffleBytesCounter() {
    return FaasCounter.HDFS_SHUFFLE_BYTES;
  }

  @Override
  public Optional<String> explainFailure(Throwable failure) {
    return Optional.empty();
  }

  @Override
  public void close() {
    // The FileSystem instance is Hadoop's shared cached one; closing it here would break others.
  }

  Path entry(int mapIndex) {
    return new Path(jobDir, String.format("map-%06d.out", mapIndex));
  }

  /** Reads one map output file through a single seekable stream. */
  private record FileReader(FSDataInputStream in, MapOutputLayout layout)
      implements MapOutputReader {
    @Override
    public FSDataInputStream openPartition(int partition) throws IOException {
      in.seek(layout.dataOffset() + layout.partition(partition).offset());
      return in;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
