package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.Pmem;
import io.marvel.pmem.PmemNoSpaceException;
import io.marvel.pmem.PmemUnavailableException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps free block file pairs (data and meta file, see {@link BlockFile}) of one volume
 * ready, so that a new replica starts writing into pages that are already allocated and
 * mapped: copying into fresh pages of a new mapping is about ten times slower than into touched
 * ones. Files come from a background preparer and from deleted replicas, which are recycled
 * instead of unlinked when no socket may still hold their pages (see {@link #recycle}): a
 * DataNode whose blocks are written and deleted then prepares nothing. A finalized replica
 * shorter than a block had its data file trimmed: recycling keeps it trimmed, and the preparer
 * grows it back and prepares the regrown part when the volume is quiet, which costs what was
 * trimmed, not a whole new file, and costs the thread deleting replicas (the DataNode's
 * command thread) nothing: growing a 128 MiB data file back took it 40-67 ms a file. A take
 * that finds only such a file grows it itself.
 *
 * <p>Preparing zeroes and maps fresh pages, which costs more CPU than writing them. So it waits
 * until the volume has been quiet for a second (no file taken, no replica read, written or
 * deleted: see {@link #noteActivity()}) and then fills the pool up to its target; foreground
 * I/O never shares the machine with it while the pool still has files. Only when a burst of
 * new replicas found the pool empty (each such replica creates its own file, slower to write)
 * does the preparer work while the volume is busy, keeping one file created ahead until it is
 * quiet ({@link PrepareTiming}): allocated, so the next replica of the burst does not create
 * its own, but not prepared, which is most of the CPU (about 0.2 s for a 128 MiB file on the
 * 2-core VM of the benchmarks, against about 0.02 s to allocate it) and would compete with the
 * burst; it is prepared once the volume is quiet, if the burst left it.
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
  private static final String FREE_PREFIX = PoolDirectoryScan.FREE_PREFIX;
  /** How long the volume must be quiet before the pool fills up beyond one ready file. */
  private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Path dir;
  private final BlockFileLayout layout;
  private final Durability durability;
  private final int target;
  private final Deque<BlockFile> ready = new ArrayDeque<>();
  /**
   * Free files not prepared yet, which the preparer prepares once the volume is quiet: files of
   * trimmed replicas (finalized shorter than a block), whose data file it grows back first, and
   * files it created ahead while a burst of new replicas outran the pool.
   */
  private final Deque<BlockFile> unprepared = new ArrayDeque<>();
  private final AtomicLong names = new AtomicLong();
  private final LoopbackQueues queues;
  private Thread preparer;
  private boolean closed;
  private boolean outOfSpace;
  private final PrepareTiming timing;
  private final PoolCounts counts = new PoolCounts();

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

  /** As above, with the quiet time and how changes are made durable (power cut tests). */
  BlockFilePool(Path dir, BlockFileLayout layout, int target, long quietNanos,
      Durability durability) {
    this.dir = dir;
    this.layout = layout;
    this.durability = durability;
    this.target = target;
    this.timing = new PrepareTiming(quietNanos);
    this.queues = new LoopbackQueues();
  }

  /** @return how this pool's files make their file system changes durable */
  Durability durability() {
    return durability;
  }

  /**
   * Adopts the free files left in the pool directory ({@link PoolDirectoryScan}), then starts
   * preparing files in the background.
   *
   * @throws IOException if the directory cannot be created or listed
   */
  public void start() throws IOException {
    durability.createDirectories(dir);
    List<BlockFile> adopted = new PoolDirectoryScan(dir, layout, durability).adoptFreeFiles();
    Thread thread = new Thread(this::prepareLoop, "pmem-block-pool-" + dir);
    thread.setDaemon(true);
    synchronized (this) {
      for (BlockFile file : adopted) {
        // A trimmed one was recycled but not grown back before the DataNode stopped.
        (file.hasFullDataFile() ? ready : unprepared).add(file);
      }
      preparer = thread;
    }
    thread.start();
  }

  /**
   * Hands out a free file, renamed to {@code target}. Takes a prepared one when there is one,
   * else a recycled one whose data file is still trimmed (grown back now), else creates one.
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
      if (file == null) {
        // Not prepared: slower to write, still cheaper than a new file (or made already).
        file = unprepared.poll();
      }
      timing.noteTake(file != null);
      notifyAll();
    }
    if (file != null && !file.hasFullDataFile() && !regrow(file)) {
      counts.deleted.incrementAndGet();
      file.delete();
      file = null;
    }
    if (file == null) {
      counts.createdOnTake.incrementAndGet();
      BlockFile created = BlockFile.create(targetPath, layout, durability);
      try {
        durability.syncDirectory(targetPath.getParent());
      } catch (IOException | RuntimeException e) {
        created.delete();
        throw e;
      }
      created.onCommit(this::noteActivity);
      return created;
    }
    try {
      file.moveTo(targetPath);
      file.onCommit(this::noteActivity);
      return file;
    } catch (IOException e) {
      file.delete();
      throw e;
    }
  }

  /**
   * Takes back the files of a deleted replica: they are marked free and kept when the pool has
   * room (twice its target), the layout matches and every page sockets got by reference is back
   * ({@link BlockFile#takeBackLentPages}: sent by sendfile over loopback connections that now
   * hold none of it); deleted otherwise, which frees the pages only once every socket let go of
   * them. A page still queued in a socket must never take the next replica's bytes: its reader
   * would get them. A kept file's header durably says FREE before it is renamed into the pool,
   * so after a power cut its replica never comes back. A trimmed data file stays trimmed here:
   * the preparer grows it back ({@link #regrow}) once the volume is quiet.
   *
   * @param file a file no replica uses any more
   * @throws IOException if marking or deleting fails
   */
  public void recycle(BlockFile file) throws IOException {
    noteActivity();
    if (!mayKeep(file)) {
      LOG.debug("Deleting {}: no room in the pool", file.path());
      counts.deleted.incrementAndGet();
      file.delete();
      return;
    }
    boolean wasTrimmed = !file.hasFullDataFile();
    // The mapping moves to a new object: readers still holding the old one fail instead of
    // reading the next replica's bytes, and the pages stay mapped for the next writer.
    BlockFile owner = file.handOver();
    try {
      // Asked only now: handing over waited for sends in flight, and no later one can lend.
      if (!pagesBack(owner)) {
        counts.deleted.incrementAndGet();
        owner.delete();
        return;
      }
      owner.writeHeader(BlockFileHeader.free(layout));
      owner.moveTo(freeName());
    } catch (IOException | RuntimeException e) {
      try {
        owner.delete();
      } catch (IOException | RuntimeException undo) {
        e.addSuppressed(undo);
      }
      throw e;
    }
    boolean stopped;
    synchronized (this) {
      stopped = closed;
      if (!stopped && kept() < recycleRoom()) {
        (wasTrimmed ? unprepared : ready).add(owner);
        outOfSpace = false;
        counts.recycled.incrementAndGet();
        if (wasTrimmed) {
          notifyAll();
        }
        return;
      }
    }
    // Free and in the pool: kept for the next start if closed, else no room any more.
    if (stopped) {
      owner.close();
    } else {
      counts.deleted.incrementAndGet();
      owner.delete();
    }
  }

  /**
   * Gives a free file whose data file was trimmed (its replica was finalized shorter than a
   * block) its full capacity back: the pages of its replica's bytes stay mapped and touched,
   * and only the trimmed part is allocated again, which costs less than a new file of full
   * size. Its header says FREE already, so a crash before or after leaves a free file, which
   * the restart adopts, grown back or not.
   *
   * @return false if the volume has no room for it (the caller deletes it)
   */
  private boolean regrow(BlockFile owner) {
    try {
      owner.growData();
      counts.regrown.incrementAndGet();
      return true;
    } catch (IOException e) {
      LOG.debug("Deleting {}: cannot grow it back: {}", owner.path(), e.getMessage());
      return false;
    }
  }

  private boolean pagesBack(BlockFile owner) {
    try {
      if (owner.takeBackLentPages(queues)) {
        return true;
      }
      LOG.debug("Deleting {}: sockets may still hold its pages", owner.path());
    } catch (IOException e) {
      LOG.warn("Deleting {}: cannot tell whether sockets still hold its pages: {}",
          owner.path(), e.getMessage());
    }
    return false;
  }

  private synchronized boolean mayKeep(BlockFile file) {
    return !closed && file.layout().equals(layout) && kept() < recycleRoom();
  }

  /** @return files ready to be taken, prepared or not, grown back or not */
  private int kept() {
    return ready.size() + unprepared.size();
  }

  /**
   * Recycled files are kept up to twice the target: deletes often reach the DataNode a
   * heartbeat after the volume went quiet and the preparer filled the pool, and a file thrown
   * away then would have to be prepared again for the next burst.
   */
  private int recycleRoom() {
    return Math.max(2 * target, 1);
  }

  /**
   * Notes that the volume is busy (a replica is read, written or deleted), so filling up waits
   * for quiet. Cheap enough for every packet: one volatile write.
   */
  public void noteActivity() {
    timing.noteActivity();
  }

  /** @return how many files this pool prepared, created, recycled and deleted so far */
  PoolCounts counts() {
    return counts;
  }

  /** @return how many regrown files the preparer prepared so far */
  long preparedRegrownCount() {
    return counts.regrownPrepared.get();
  }

  /** @return how many files are ready */
  public synchronized int readyCount() {
    return kept();
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
      taken.addAll(unprepared);
      ready.clear();
      unprepared.clear();
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
      for (BlockFile file : unprepared) {
        file.close();
      }
      ready.clear();
      unprepared.clear();
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
      if (prepareUnprepared()) {
        continue;
      }
      Path path = freeName();
      try {
        // Its directory entry is synced when it is taken, where it matters.
        long start = System.nanoTime();
        BlockFile file = BlockFile.create(path, layout, durability);
        if (!timing.isQuiet()) {
          // A burst outran the pool: its next replica gets this file, allocated but not
          // prepared; preparing (most of the CPU) waits for quiet, as it would for a file the
          // replica created itself, and costs nothing if the burst takes the file first.
          keepCreatedAhead(file);
          LOG.info("Created {} ahead in {} ms, to be prepared once the volume is quiet; {}", path,
              (System.nanoTime() - start) / 1_000_000, counts);
          continue;
        }
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
          counts.prepared.incrementAndGet();
        }
        // One line per block-sized file, as the DataNode logs each block it receives.
        LOG.info("Prepared {} in {} ms; {}", path, (System.nanoTime() - start) / 1_000_000,
            counts);
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
   * Keeps a file created ahead for preparing later. Counted where it is added, so that whoever
   * sees the count sees the file in the pool.
   */
  private void keepCreatedAhead(BlockFile file) throws IOException {
    synchronized (this) {
      if (!closed) {
        unprepared.add(file);
        counts.createdAhead.incrementAndGet();
        return;
      }
    }
    file.close();
  }

  /**
   * Prepares an unprepared free file, if there is one, growing a trimmed one back first, and
   * makes it ready.
   *
   * @return whether there was one
   */
  private boolean prepareUnprepared() {
    BlockFile file;
    synchronized (this) {
      file = unprepared.poll();
    }
    if (file == null) {
      return false;
    }
    long start = System.nanoTime();
    boolean trimmed;
    try {
      trimmed = !file.hasFullDataFile();
      if (trimmed && !regrow(file)) {
        file.delete();
        return true;
      }
      file.prepare();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Preparing block file {} failed; deleting it", file.path(), e);
      try {
        file.delete();
      } catch (IOException | RuntimeException deleting) {
        LOG.warn("Deleting block file {} failed", file.path(), deleting);
      }
      return true;
    }
    synchronized (this) {
      if (closed) {
        try {
          file.close();
        } catch (IOException | RuntimeException e) {
          LOG.warn("Closing block file {} failed", file.path(), e);
        }
        return true;
      }
      ready.add(file);
      // Counted with the add, so that whoever sees the count sees the file ready.
      (trimmed ? counts.regrownPrepared : counts.prepared).incrementAndGet();
    }
    LOG.info("Prepared {}{} in {} ms; {}", trimmed ? "regrown " : "", file.path(),
        (System.nanoTime() - start) / 1_000_000, counts);
    return true;
  }

  /**
   * Waits until an unprepared file may be prepared or the pool may grow (below
   * target, with room on the volume): once quiet, or at once when empty after a take found it
   * empty (see the class comment). False once closed.
   */
  private synchronized boolean awaitNeed() {
    try {
      while (!closed) {
        boolean work = !unprepared.isEmpty() || (kept() < target && !outOfSpace);
        if (!work) {
          wait();
          continue;
        }
        long wait = timing.nanosUntilPreparing(kept() == 0);
        if (wait == 0) {
          return true;
        }
        TimeUnit.NANOSECONDS.timedWait(this, wait);
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
