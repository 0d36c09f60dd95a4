package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.PmemNoSpaceException;
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
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()}. Thread-safe.
 */
public final class BlockFilePool implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(BlockFilePool.class);
  private static final String FREE_PREFIX = "free-";
  /** How long the volume must be quiet before the pool fills up beyond one ready file. */
  private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Path dir;
  private final BlockFileLayout layout;
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
    this(dir, layout, target, QUIET_NANOS);
  }

  /** As above, with the quiet time before filling up (tests shorten or lengthen it). */
  BlockFilePool(Path dir, BlockFileLayout layout, int target, long quietNanos) {
    this.dir = dir;
    this.layout = layout;
    this.target = target;
    this.quietNanos = quietNanos;
    this.lastBusyNanos = System.nanoTime() - quietNanos;
  }

  /**
   * Adopts the free files left in the pool directory (deleting those of another layout or
   * unreadable), then starts preparing files in the background.
   *
   * @throws IOException if the directory cannot be created or listed
   */
  public void start() throws IOException {
    Files.createDirectories(dir);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, FREE_PREFIX + "*")) {
      for (Path path : files) {
        if (!path.getFileName().toString().endsWith(BlockFile.META_SUFFIX)) {
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
    if (Files.notExists(BlockFile.metaPath(path))) {
      // Half of a pair a crash split, or a free file of the single-file layout: no replica.
      LOG.info("Deleting {}: a free data file without its meta file", path);
      Files.deleteIfExists(path);
      return;
    }
    try {
      BlockFile file = BlockFile.open(path);
      if (file.layout().equals(layout) && file.header().state() == BlockFileState.FREE) {
        synchronized (this) {
          ready.add(file);
        }
        return;
      }
      file.delete();
    } catch (CorruptBlockFileException e) {
      LOG.warn("Deleting unreadable free block file {}: {}", path, e.getMessage());
      BlockFile.deleteFiles(path);
    }
  }

  /**
   * Hands out a free file, renamed to {@code target}. Takes a prepared one when there is one,
   * else creates one now.
   *
   * @param targetPath the path the file gets
   * @return the file, its header still FREE
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
      return BlockFile.create(targetPath, layout);
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
   * once every socket let go of them.
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
    while (awaitNeed()) {
      Path path = freeName();
      try {
        BlockFile file = BlockFile.create(path, layout);
        file.prepare();
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
