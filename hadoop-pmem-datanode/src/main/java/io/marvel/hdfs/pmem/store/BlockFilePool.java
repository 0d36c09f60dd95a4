package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.Pmem;
import io.marvel.pmem.PmemNoSpaceException;
import io.marvel.pmem.PmemUnavailableException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps free block file pairs (data and meta file, see {@link BlockFile}) of one volume
 * ready, so that a new replica starts writing into pages that are already allocated and
 * mapped: copying into fresh pages of a new mapping is about ten times slower than into touched
 * ones. Files come from a background preparer and from deleted replicas that were never
 * finalized, which are recycled instead of unlinked (a finalized replica's data file was trimmed
 * to its length, its pages are gone, so it is unlinked).
 *
 * <p>Preparing zeroes and maps fresh pages, which costs about as much CPU as writing them. So
 * while the volume is busy (files taken, replicas read: see {@link #noteActivity()}) the
 * preparer keeps only one file ahead and lets a burst of writes drain the rest; it fills the
 * pool up to its target once the volume has been quiet for a second. The CPU of preparing
 * moves out of bursts of writes and reads into quiet time.
 *
 * <p>Durability: a file handed out by {@link #take} is durably at its new path (a power cut
 * cannot leave a replica's file under a pool name), and a recycled file's header durably says
 * FREE before it is renamed into the pool. So a pool file whose header says anything else is
 * not ours to reuse: {@link #start()} sets it aside rather than deleting what may be a replica.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()}. Thread-safe.
 */
public final class BlockFilePool implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(BlockFilePool.class);
  private static final String FREE_PREFIX = "free-";
  private static final String CORRUPT_SUFFIX = VolumeScan.CORRUPT_SUFFIX;
  /** How long the volume must be quiet before the pool fills up beyond one ready file. */
  private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Path dir;
  private final BlockFileLayout layout;
  private final Durability durability;
  private final int target;
  private final long quietNanos;
  private final Deque<BlockFile> ready = new ArrayDeque<>();
  private final AtomicLong names = new AtomicLong();
  private Thread preparer;
  private boolean closed;
  private boolean outOfSpace;
  private long lastBusyNanos;

  /**
   * @param dir where free files live; created if missing
   * @param layout the layout of every file in the pool
   * @param target how many prepared files to keep ready (0 disables preparing ahead)
   */
  public BlockFilePool(Path dir, BlockFileLayout layout, int target) {
    this(dir, layout, target, Durability.FSYNC);
  }

  /**
   * @param dir where free files live; created if missing
   * @param layout the layout of every file in the pool
   * @param target how many prepared files to keep ready (0 disables preparing ahead)
   * @param durability how file sizes and directory entries are made durable
   */
  public BlockFilePool(Path dir, BlockFileLayout layout, int target, Durability durability) {
    this(dir, layout, target, QUIET_NANOS, durability);
  }

  /** As above, with the quiet time before filling up (tests shorten or lengthen it). */
  BlockFilePool(Path dir, BlockFileLayout layout, int target, long quietNanos) {
    this(dir, layout, target, quietNanos, Durability.FSYNC);
  }

  private BlockFilePool(Path dir, BlockFileLayout layout, int target, long quietNanos,
      Durability durability) {
    this.dir = dir;
    this.layout = layout;
    this.durability = durability;
    this.target = target;
    this.quietNanos = quietNanos;
    this.lastBusyNanos = System.nanoTime() - quietNanos;
  }

  /** @return how this pool's files make their file system changes durable */
  Durability durability() {
    return durability;
  }

  /**
   * Adopts the free files left in the pool directory (deleting those of another layout or
   * unreadable, setting aside those that are not free), then starts preparing files in the
   * background.
   *
   * @throws IOException if the directory cannot be created or listed
   */
  public void start() throws IOException {
    durability.createDirectories(dir);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, FREE_PREFIX + "*")) {
      for (Path path : files) {
        String name = path.getFileName().toString();
        if (!name.endsWith(BlockFile.META_SUFFIX) && !name.endsWith(CORRUPT_SUFFIX)) {
          adopt(path);
        }
      }
    }
    // Meta files whose data file is gone: a crash split their pair while it was renamed.
    try (DirectoryStream<Path> metas = Files.newDirectoryStream(dir,
        FREE_PREFIX + "*" + BlockFile.META_SUFFIX)) {
      for (Path meta : metas) {
        String name = meta.getFileName().toString();
        if (Files.notExists(meta.resolveSibling(name.substring(0,
            name.length() - BlockFile.META_SUFFIX.length())))) {
          LOG.info("Deleting {}: a free meta file without its data file", meta);
          Files.deleteIfExists(meta);
        }
      }
    }
    Thread thread = new Thread(this::prepareLoop, "pmem-block-pool-" + dir);
    thread.setDaemon(true);
    synchronized (this) {
      preparer = thread;
    }
    thread.start();
  }

  private void adopt(Path path) throws IOException {
    Path metaAside = BlockFile.metaPath(path).resolveSibling(
        BlockFile.metaPath(path).getFileName() + CORRUPT_SUFFIX);
    if (Files.exists(metaAside)) {
      // Setting this pair aside was cut short after its meta file.
      Files.move(path, path.resolveSibling(path.getFileName() + CORRUPT_SUFFIX));
      return;
    }
    if (Files.notExists(BlockFile.metaPath(path))) {
      // Half of a pair a crash split, or a free file of the single-file layout: no replica.
      LOG.info("Deleting {}: a free data file without its meta file", path);
      Files.deleteIfExists(path);
      return;
    }
    try {
      BlockFile file = BlockFile.open(path, durability);
      BlockFileState state = file.header().state();
      if (state != BlockFileState.FREE) {
        file.close();
        setAside(path, state);
      } else if (file.layout().equals(layout)) {
        synchronized (this) {
          ready.add(file);
        }
      } else {
        file.delete();
      }
    } catch (CorruptBlockFileException e) {
      LOG.warn("Deleting unreadable free block file {}: {}", path, e.getMessage());
      BlockFile.deleteFiles(path);
    }
  }

  /**
   * Keeps a pool file whose header holds a replica (block files never enter the pool before
   * their header durably says FREE, so only a file system that lost a synced rename, or an
   * earlier version, leaves one): renamed with {@code .corrupt} and left for the operator.
   * The meta file goes first; {@link #adopt} finishes a pair whose data file was left behind.
   */
  private void setAside(Path path, BlockFileState state) throws IOException {
    Path meta = BlockFile.metaPath(path);
    Path aside = path.resolveSibling(path.getFileName() + CORRUPT_SUFFIX);
    LOG.warn("Pool file {} holds a {} replica, not a free file; moved to {} and not served: "
        + "move it and its meta file into the block pool's pmem directory as blk_<id> to serve "
        + "it again, or delete them", path, state, aside);
    Files.move(meta, meta.resolveSibling(meta.getFileName() + CORRUPT_SUFFIX));
    Files.move(path, aside);
  }

  /**
   * Hands out a free file, renamed to {@code target}. Takes a prepared one when there is one,
   * else creates one now.
   *
   * @param targetPath the path the file gets
   * @return the file, its header still FREE, durably at {@code targetPath} (sizes and
   *     directory entries synced) so that its caller may record a replica in it
   * @throws PmemNoSpaceException if the volume has no room for another file
   * @throws IOException if creating or renaming fails
   */
  public BlockFile take(Path targetPath) throws IOException {
    BlockFile file;
    synchronized (this) {
      file = ready.poll();
      lastBusyNanos = System.nanoTime();
      notifyAll();
    }
    if (file == null) {
      BlockFile created = BlockFile.create(targetPath, layout, durability);
      try {
        durability.syncDirectory(targetPath.getParent());
      } catch (IOException | RuntimeException e) {
        created.delete();
        throw e;
      }
      return created;
    }
    try {
      file.moveTo(targetPath);
      return file;
    } catch (IOException e) {
      file.delete();
      throw e;
    }
  }

  /**
   * Takes back the files of a deleted replica: they are marked free and kept when the pool has
   * room, the layout matches, the data file was not trimmed (finalized replicas' are) and no
   * socket got its pages by reference (a slow reader's socket may still hold them, and the next
   * replica's bytes would reach that reader); deleted otherwise, which frees the pages only
   * once every socket let go of them. A kept file's header durably says FREE before it is
   * renamed into the pool, so after a power cut its replica never comes back.
   *
   * @param file a file no replica uses any more
   * @throws IOException if marking or deleting fails
   */
  public void recycle(BlockFile file) throws IOException {
    BlockFile owner = file;
    synchronized (this) {
      if (!closed && file.layout().equals(layout) && file.hasFullDataFile()
          && ready.size() < Math.max(target, 1)) {
        // The mapping moves to a new object: readers still holding the old one fail instead
        // of reading the next replica's bytes, and the pages stay mapped for the next writer.
        owner = file.handOver();
        // Asked only now: handing over waited for sends in flight, and no later one can lend.
        if (!owner.hasLentPages()) {
          owner.writeHeader(BlockFileHeader.free(layout));
          owner.moveTo(freeName());
          ready.add(owner);
          outOfSpace = false;
          return;
        }
      }
    }
    owner.delete();
  }

  /** Notes that the volume is busy (a replica is read), so filling up waits for quiet. */
  public synchronized void noteActivity() {
    lastBusyNanos = System.nanoTime();
  }

  /** @return how many files are ready */
  public synchronized int readyCount() {
    return ready.size();
  }

  /** @return bytes one pair of files of this pool occupies */
  public long fileLength() {
    return layout.bytesOnVolume();
  }

  /**
   * Releases the space of every ready file: deletes them. Used when the volume runs short, so
   * that prepared files never stop a replica from being written.
   *
   * @throws IOException if a delete fails
   */
  public void drainReady() throws IOException {
    Deque<BlockFile> taken;
    synchronized (this) {
      taken = new ArrayDeque<>(ready);
      ready.clear();
      outOfSpace = true;
    }
    for (BlockFile file : taken) {
      file.delete();
    }
  }

  /** Stops the preparer and unmaps the ready files; they stay on the volume for the next start. */
  @Override
  public void close() throws IOException {
    Thread thread;
    synchronized (this) {
      closed = true;
      thread = preparer;
      notifyAll();
    }
    if (thread != null) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stopping the block pool of " + dir, e);
      }
    }
    synchronized (this) {
      for (BlockFile file : ready) {
        file.close();
      }
      ready.clear();
    }
  }

  private void prepareLoop() {
    try {
      // Preparing is work ahead of need: it must not delay replicas being written or read.
      if (!Pmem.runCurrentThreadWhenIdle()) {
        LOG.debug("Block files of {} are prepared at normal priority", dir);
      }
    } catch (PmemUnavailableException e) {
      LOG.warn("Preparing block files of {} stops: {}", dir, e.getMessage());
      return;
    }
    while (awaitNeed()) {
      Path path = freeName();
      try {
        // Its directory entry is synced when it is taken, where it matters.
        BlockFile file = BlockFile.create(path, layout, durability);
        try {
          file.prepare();
        } catch (IOException | RuntimeException e) {
          file.delete();
          throw e;
        }
        synchronized (this) {
          if (closed) {
            file.close();
            return;
          }
          ready.add(file);
        }
      } catch (PmemNoSpaceException e) {
        LOG.info("PMEM volume {} is full; preparing block files stops until space is freed", dir);
        synchronized (this) {
          outOfSpace = true;
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("Preparing block file {} failed; replicas will create their own files", path, e);
        synchronized (this) {
          outOfSpace = true;
        }
      }
    }
  }

  /**
   * Waits until the pool may grow: below target, with room on the volume, and either empty or
   * quiet (see the class comment). False once closed.
   */
  private synchronized boolean awaitNeed() {
    try {
      while (!closed) {
        if (ready.size() >= target || outOfSpace) {
          wait();
          continue;
        }
        long busyFor = lastBusyNanos + quietNanos - System.nanoTime();
        if (ready.isEmpty() || busyFor <= 0) {
          return true;
        }
        TimeUnit.NANOSECONDS.timedWait(this, busyFor);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private Path freeName() {
    return dir.resolve(FREE_PREFIX + System.nanoTime() + "-" + names.incrementAndGet());
  }
}
