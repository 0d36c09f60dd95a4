package io.marvel.faas.state;

import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.protocol.StoreLocation;
import io.marvel.pmem.Pmem;
import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Map outputs as PMEM files, one per map, in {@code <root>/<jobId>/}, written and read through
 * native-pmem. Publishing copies the map's output into a new region under a temporary name,
 * persists data and table, then the header, then renames the file into place, so a reader sees
 * either nothing or a complete entry. Thread-safe.
 */
final class PmemStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(PmemStateStore.class);
  private static final int COPY_CHUNK = 1 << 20;

  private final StoreLocation location;
  private final Path jobDir;
  private final String jobId;

  PmemStateStore(StoreLocation location, String jobId) {
    this.location = location;
    this.jobId = jobId;
    this.jobDir = Paths.get(location.root()).resolve(jobId);
  }

  @Override
  public StoreLocation location() {
    return location;
  }

  @Override
  public void prepare() throws IOException {
    Pmem.ensureAvailable();
    Path root = jobDir.getParent();
    try {
      Files.createDirectories(root);
      if (!Files.exists(jobDir)) {
        Files.createDirectory(jobDir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (AccessDeniedException e) {
      throw new AccessDeniedException(e.getFile(), null, "PMEM state dir " + root
          + " is not writable for job " + jobId + "; make it writable for this user or set"
          + " mapreduce.faas.state.pmem.dir to a writable directory on a PMEM (DAX) mount or"
          + " /dev/shm");
    } catch (IOException e) {
      throw new IOException("cannot create PMEM state dir " + jobDir + " for job " + jobId
          + " (" + e + "); set mapreduce.faas.state.pmem.dir to a writable directory on a PMEM"
          + " (DAX) mount or /dev/shm", e);
    }
    if (!Files.isWritable(jobDir)) {
      throw new AccessDeniedException(jobDir.toString(), null, "PMEM state dir " + jobDir
          + " is not writable for job " + jobId + "; fix its permissions or set"
          + " mapreduce.faas.state.pmem.dir to a writable directory");
    }
  }

  @Override
  public long publishMapOutput(int mapIndex, Path dataFile, List<PartitionRange> partitions)
      throws IOException {
    if (!Files.isDirectory(jobDir)) {
      throw new StateNotOnHostException(jobDir, jobId);
    }
    long dataLength = Files.size(dataFile);
    MapOutputLayout layout = new MapOutputLayout(partitions, dataLength);
    Path target = entry(mapIndex);
    Path temp = jobDir.resolve(target.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    boolean done = false;
    try {
      try (PmemRegion region = PmemRegion.create(temp, layout.totalLength())) {
        copyData(dataFile, region, layout.dataOffset(), dataLength);
        byte[] table = layout.table();
        region.write(MapOutputLayout.HEADER_BYTES, table, 0, table.length);
        region.persist(MapOutputLayout.HEADER_BYTES, layout.totalLength()
            - MapOutputLayout.HEADER_BYTES);
        // The header goes last and durable: a valid header marks the entry complete.
        layout.writeHeader(region);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(jobDir);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
    LOG.debug("Published map {} of job {}: {} bytes in {}", mapIndex, jobId,
        layout.totalLength(), target);
    return layout.totalLength();
  }

  private static void copyData(Path dataFile, PmemRegion region, long offset, long length)
      throws IOException {
    ByteBuffer chunk = ByteBuffer.allocateDirect(COPY_CHUNK);
    try (FileChannel in = FileChannel.open(dataFile, StandardOpenOption.READ)) {
      long copied = 0;
      while (copied < length) {
        chunk.clear();
        int n = in.read(chunk, copied);
        if (n < 0) {
          throw new IOException(dataFile + " shrank to " + copied + " bytes while publishing "
              + length);
        }
        chunk.flip();
        region.writeFlushed(offset + copied, chunk);
        copied += n;
      }
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    // The rename is only durable once the directory itself is flushed.
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  @Override
  public MapOutputReader openMapOutput(int mapIndex) throws IOException {
    Path file = entry(mapIndex);
    if (!Files.exists(file)) {
      throw new FileNotFoundException("map " + mapIndex + " of job " + jobId
          + " has no output in PMEM state store " + jobDir);
    }
    PmemRegion region = PmemRegion.open(file);
    try {
      byte[] header = new byte[MapOutputLayout.HEADER_BYTES];
      if (region.length() < header.length) {
        throw new CorruptMapOutputException(file + " is shorter than a map output header: the"
            + " map attempt that wrote it did not finish");
      }
      region.read(0, header, 0, header.length);
      int count = MapOutputLayout.partitionCount(header, file.toString(), region.length());
      byte[] table = new byte[MapOutputLayout.ENTRY_BYTES * count];
      region.read(MapOutputLayout.HEADER_BYTES, table, 0, table.length);
      return new PmemReader(region, MapOutputLayout.decode(header, table),
          new AtomicLong(header.length + table.length));
    } catch (IOException | RuntimeException e) {
      closeQuietly(region, e);
      throw e;
    }
  }

  private static void closeQuietly(PmemRegion region, Throwable failure) {
    try {
      region.close();
    } catch (PmemException e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public void removeJob() throws IOException {
    if (!Files.exists(jobDir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(jobDir)) {
      for (Path path : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
    LOG.debug("Removed PMEM state of job {} in {}", jobId, jobDir);
  }

  @Override
  public List<String> sweepStale(long ttlMs) throws IOException {
    long cutoff = System.currentTimeMillis() - ttlMs;
    List<String> swept = new ArrayList<>();
    try (Stream<Path> jobs = Files.list(jobDir.getParent())) {
      for (Path other : (Iterable<Path>) jobs::iterator) {
        String name = other.getFileName().toString();
        if (name.startsWith("job_") && !name.equals(jobId) && Files.isDirectory(other)
            && Files.getLastModifiedTime(other).toMillis() < cutoff) {
          new PmemStateStore(location, name).removeJob();
          swept.add(name);
        }
      }
    }
    return swept;
  }

  /**
   * Spills go to the PMEM device too, in {@code <jobDir>/scratch/<attemptId>}, so that they
   * are removed with the job's state.
   */
  @Override
  public Optional<Path> attemptScratchDir(String attemptId) throws IOException {
    if (!Files.isDirectory(jobDir)) {
      throw new StateNotOnHostException(jobDir, jobId);
    }
    return Optional.of(jobDir.resolve("scratch").resolve(attemptId));
  }

  /** A PMEM file is where the store's dir is. */
  @Override
  public Optional<String> placementWarning(int mapIndex) {
    return Optional.empty();
  }

  @Override
  public FaasCounter shuffleBytesCounter() {
    return FaasCounter.PMEM_SHUFFLE_BYTES;
  }

  @Override
  public Optional<String> explainFailure(Throwable failure) {
    return FullStateDir.explain(location.root(), failure);
  }

  /** A map's PMEM file is gone only with its host's PMEM dir; running it again cannot help. */
  @Override
  public OptionalInt lostMapOutput(Throwable failure) {
    return OptionalInt.empty();
  }

  @Override
  public boolean failsJob(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StateNotOnHostException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    // Readers own their regions; the store itself holds nothing open.
  }

  Path entry(int mapIndex) {
    return jobDir.resolve(String.format("map-%06d.out", mapIndex));
  }

  /**
   * Reads one PMEM map output; owns the region until closed. All of it is on this host: the
   * header, the table and each partition opened count as read locally.
   */
  private record PmemReader(PmemRegion region, MapOutputLayout layout, AtomicLong read)
      implements MapOutputReader {
    @Override
    public FSDataInputStream openPartition(int partition) throws IOException {
      PartitionRange range = layout.partition(partition);
      read.addAndGet(range.partLength());
      return new FSDataInputStream(new SeekableRegionInputStream(region,
          layout.dataOffset() + range.offset(), range.partLength()));
    }

    @Override
    public long localBytesRead() {
      return read.get();
    }

    @Override
    public long remoteBytesRead() {
      return 0;
    }

    @Override
    public void close() throws IOException {
      region.close();
    }
  }
}
