package io.marvel.faas.state;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.protocol.StoreLocation;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSDataOutputStreamBuilder;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.BlockMissingException;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem.HdfsDataOutputStreamBuilder;
import org.apache.hadoop.hdfs.client.HdfsDataInputStream;
import org.apache.hadoop.io.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Map outputs as files on a Hadoop file system (normally HDFS), one per map, in
 * {@code <root>/<jobId>/}: the store for many hosts, and the stateless baseline. An entry is
 * written under a temporary name, synced to the DataNodes' storage when closed and renamed into
 * place. With storage policy ALL_NVDIMM on PMEM DataNodes, and the map running
 * on a DataNode's host, HDFS's default placement puts the first replica in PMEM on the map's
 * own host; a reducer there reads it locally (short-circuit when configured), one on another
 * host over the network from that DataNode, which outlives the map's container. Readers report
 * how many bytes came from this host and how many over the network, from HDFS's read
 * statistics. Thread-safe.
 */
final class HdfsStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(HdfsStateStore.class);
  private static final FsPermission JOB_DIR_PERMISSION = new FsPermission((short) 0700);
  private static final int COPY_BUFFER = 1 << 16;

  private final StoreLocation location;
  private final String jobId;
  private final Path jobDir;
  private final FileSystem fs;
  private final String storagePolicy;
  private final short replication;
  /** A path of one of this job's entries, inside a file name or message. */
  private final Pattern ownEntry;

  /**
   * @param storagePolicy set on the job's dir, empty for the file system's default
   * @param replication replicas of each map output
   */
  HdfsStateStore(StoreLocation location, String jobId, Configuration conf, String storagePolicy,
      short replication) throws IOException {
    this.location = location;
    this.jobId = jobId;
    this.storagePolicy = storagePolicy;
    this.replication = replication;
    this.ownEntry = Pattern.compile(Pattern.quote("/" + jobId + "/") + "map-(\\d{6})\\.out");
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
      setStoragePolicy();
    }
  }

  private void setStoragePolicy() throws IOException {
    if (storagePolicy.isEmpty()) {
      return;
    }
    try {
      fs.setStoragePolicy(jobDir, storagePolicy);
    } catch (UnsupportedOperationException e) {
      LOG.info("State dir {} of job {} is on {}, which has no storage policies; {} = {} does not"
          + " apply", jobDir, jobId, fs.getScheme(), FaasConfigKeys.STATE_HDFS_STORAGE_POLICY_KEY,
          storagePolicy);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("cannot set storage policy " + storagePolicy + " on state dir "
          + jobDir + " of job " + jobId + " (" + e.getMessage() + "); set "
          + FaasConfigKeys.STATE_HDFS_STORAGE_POLICY_KEY + " to a policy of this file system"
          + " (hdfs storagepolicies -listPolicies), or to empty for its default", e);
    }
  }

  /**
   * {@inheritDoc} On HDFS it takes four NameNode calls (create, add block, complete, rename):
   * the create fails if the job's dir is gone, and the rename replaces an earlier attempt's entry
   * in one step.
   */
  @Override
  public long publishMapOutput(int mapIndex, java.nio.file.Path dataFile,
      List<PartitionRange> partitions) throws IOException {
    MapOutputLayout layout = new MapOutputLayout(partitions, Files.size(dataFile));
    Path target = entry(mapIndex);
    Path temp = target.suffix(".tmp");
    boolean done = false;
    try {
      try (FSDataOutputStream out = createEntry(temp);
          InputStream in = Files.newInputStream(dataFile)) {
        out.write(layout.header());
        out.write(layout.table());
        IOUtils.copyBytes(in, out, COPY_BUFFER, false);
        if (!(fs instanceof DistributedFileSystem)) {
          out.hsync();
        }
      }
      replace(temp, target);
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

  /**
   * Creates an entry's temporary file in the job's dir, replacing one a failed attempt left. The
   * dir must exist: a map that outlives its job does not make its state again. On HDFS the last
   * packet of the block asks the DataNodes to sync it (SYNC_BLOCK), so the entry is durable when
   * the stream's close returns, before the map reports success, as with {@code hsync}, which
   * would also cost a NameNode call to record the block.
   */
  private FSDataOutputStream createEntry(Path temp) throws IOException {
    FSDataOutputStreamBuilder<?, ?> builder = fs.createFile(temp).overwrite(true)
        .permission(FsPermission.getFileDefault().applyUMask(FsPermission.getUMask(fs.getConf())))
        .bufferSize(COPY_BUFFER).replication(replication)
        .blockSize(fs.getDefaultBlockSize(temp));
    if (builder instanceof HdfsDataOutputStreamBuilder hdfs) {
      hdfs.syncBlock();
    }
    try {
      return builder.build();
    } catch (FileNotFoundException e) {
      FileNotFoundException gone = new FileNotFoundException("state dir " + jobDir + " of job "
          + jobId + " does not exist: the job has ended or was never prepared");
      gone.initCause(e);
      throw gone;
    }
  }

  /** Moves a finished entry into place, replacing what an earlier attempt published. */
  private void replace(Path temp, Path target) throws IOException {
    if (fs instanceof DistributedFileSystem dfs) {
      dfs.rename(temp, target, Options.Rename.OVERWRITE);
      return;
    }
    // Other file systems have no public rename that replaces: delete, then rename.
    fs.delete(target, false);
    if (!fs.rename(temp, target)) {
      throw new IOException("cannot rename " + temp + " to " + target + " for job " + jobId);
    }
  }

  @Override
  public MapOutputReader openMapOutput(int mapIndex) throws IOException {
    Path file = entry(mapIndex);
    FSDataInputStream in;
    try {
      in = fs.open(file);
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException("map " + mapIndex + " of job " + jobId
          + " has no output in state store " + jobDir);
    }
    try {
      // HDFS's open already got the length with the block list: one NameNode call, not two.
      long length = in instanceof HdfsDataInputStream hdfs ? hdfs.getVisibleLength()
          : fs.getFileStatus(file).getLen();
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

  /**
   * HDFS places a block where the policy says if a DataNode with room has such a volume, else
   * on the policy's fallback (DISK for ALL_NVDIMM): a stock cluster runs the job, with its
   * state on disk. One look at one map's blocks per job tells the user.
   */
  @Override
  public Optional<String> placementWarning(int mapIndex) throws IOException {
    if (storagePolicy.isEmpty()) {
      return Optional.empty();
    }
    Set<StorageType> asked;
    try {
      asked = Set.of(fs.getStoragePolicy(jobDir).getStorageTypes());
    } catch (UnsupportedOperationException e) {
      // A file system without storage policies (see prepare): nothing was asked of it.
      return Optional.empty();
    }
    FileStatus entry = fs.getFileStatus(entry(mapIndex));
    Set<StorageType> actual = new TreeSet<>();
    for (BlockLocation block : fs.getFileBlockLocations(entry, 0, entry.getLen())) {
      actual.addAll(Arrays.asList(block.getStorageTypes()));
    }
    if (actual.isEmpty() || asked.containsAll(actual)) {
      return Optional.empty();
    }
    String names = actual.stream().map(Enum::name).collect(Collectors.joining(", "));
    String wanted = asked.stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
    return Optional.of("map outputs of job " + jobId + " are on " + names + ", not " + wanted
        + " as " + FaasConfigKeys.STATE_HDFS_STORAGE_POLICY_KEY + " = " + storagePolicy
        + " asks: HDFS fell back since no DataNode with room has such a volume (stock"
        + " DataNodes have only DISK). The job runs, with its state there. For state in PMEM"
        + " give the DataNodes [NVDIMM] volumes (the PMEM DataNode); to keep state on "
        + names + " on purpose set the policy to empty");
  }

  @Override
  public FaasCounter shuffleBytesCounter() {
    return FaasCounter.HDFS_SHUFFLE_BYTES;
  }

  @Override
  public Optional<String> explainFailure(Throwable failure) {
    return Optional.empty();
  }

  /**
   * HDFS gives up on a block with {@link BlockMissingException} once no replica answers. A
   * reader whose entry was replaced meanwhile (the map ran again since, see
   * {@code LostMapOutputs}) gets DFSInputStream's "Blocklist for ... has changed!", which names
   * no class of its own: the map is reported too, and the coordinator, finding it made again
   * since the reduce started, only retries the reduce.
   */
  @Override
  public OptionalInt lostMapOutput(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String about = t instanceof BlockMissingException missing ? missing.getFile()
          : t instanceof IOException && t.getMessage() != null
              && t.getMessage().startsWith("Blocklist for ") ? t.getMessage() : null;
      if (about != null) {
        Matcher entry = ownEntry.matcher(about);
        if (entry.find()) {
          return OptionalInt.of(Integer.parseInt(entry.group(1)));
        }
      }
    }
    return OptionalInt.empty();
  }

  /** Every host reads the store: another attempt may always do better. */
  @Override
  public boolean failsJob(Throwable failure) {
    return false;
  }

  @Override
  public void close() {
    // The FileSystem instance is Hadoop's shared cached one; closing it here would break others.
  }

  Path entry(int mapIndex) {
    return new Path(jobDir, String.format("map-%06d.out", mapIndex));
  }

  /**
   * Reads one map output file through a single seekable stream. HDFS's streams count the bytes
   * they read from a DataNode at an address of this host (local, short-circuit or not) and from
   * others (remote); streams of other file systems report neither.
   */
  private record FileReader(FSDataInputStream in, MapOutputLayout layout)
      implements MapOutputReader {
    @Override
    public FSDataInputStream openPartition(int partition) throws IOException {
      in.seek(layout.dataOffset() + layout.partition(partition).offset());
      return in;
    }

    @Override
    public long localBytesRead() {
      return in instanceof HdfsDataInputStream hdfs
          ? hdfs.getReadStatistics().getTotalLocalBytesRead() : 0;
    }

    @Override
    public long remoteBytesRead() {
      return in instanceof HdfsDataInputStream hdfs
          ? hdfs.getReadStatistics().getRemoteBytesRead() : 0;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
