package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.FileSender;
import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.locks.Lock;

/**
 * The two mapped PMEM files holding one replica (or none, when free): a data file with the
 * replica's bytes from offset 0, and a meta file with the stock {@code .meta} bytes followed by
 * the header page, as {@link BlockFileLayout} describes. The pair is named after its data file:
 * {@code blk_<id>} and {@code blk_<id>.meta}.
 *
 * <p>Durability: {@link #writeData} and {@link #writeMeta} copy with cache flushes but no fence;
 * {@link #commitLength} fences them and then durably records the new length in the header, so
 * after a crash the header never claims bytes that are not in PMEM. Header changes alternate
 * between two slots and are durable on return. File system changes go through a
 * {@link Durability}: a created pair's sizes, a rename's directory entries and a data file grown
 * back are durable on return; trimming and deleting are not (see their methods).
 *
 * <p>Thread safety: data and meta writes to disjoint ranges and all reads may run concurrently;
 * header writes are serialized. {@link #close()} waits for calls in flight.
 *
 * <p>The parts, one job each: {@link BlockFileMapper} creates and opens the pair,
 * {@link DataMapping} trims and grows the data file, {@link HeaderPage} keeps the header and its
 * slot sequence, {@link UnsyncedWrites} makes flushed writes durable, and {@link HandOverGuard}
 * lets calls run together and hands the mappings over.
 *
 * <p>Over 400 lines because it is the store's one face of a replica's two files: some 35 short
 * methods, most of them delegations to the parts above, each with its durability and
 * concurrency contract in Javadoc (about half of the lines). Splitting it further would spread
 * one replica's contract over several classes that every caller would have to know.
 */
public final class BlockFile implements Closeable {
  /** Suffix of the meta file's name; the data file's name comes before it. */
  public static final String META_SUFFIX = ".meta";
  private static final long PAGE = 4096;
  /** Bytes {@link #prepare()} maps in one {@code madvise} call. */
  private static final long PREPARE_CHUNK = 2L << 20;
  private final PmemRegion meta;
  private final Durability durability;
  /** The data mapping; replaced under the guard's exclusive lock. */
  private final DataMapping data;
  private final boolean pmem;
  private final BlockFileLayout layout;
  private final HeaderPage headerPage;
  private final HandOverGuard guard = new HandOverGuard(this::path);
  private final UnsyncedWrites unsynced = new UnsyncedWrites();
  private volatile Path path;
  /**
   * Data bytes below this are known to be faulted in (all of a prepared file); a page-aligned
   * offset, or {@code Long.MAX_VALUE} once faulting in ahead of writes is not possible here.
   * Changed by the replica's writer and by trimming, which do not run together.
   */
  private volatile long dataFaultedIn;
  /** Told of every committed length: the pool notes the volume busy. */
  private volatile Runnable commitListener = () -> { };

  /** Takes over mapped files; {@link BlockFileMapper} creates and opens them. */
  BlockFile(DataMapping data, PmemRegion meta, Path path, HeaderPage headerPage,
      Durability durability) {
    this.durability = durability;
    this.data = data;
    this.meta = meta;
    this.pmem = meta.isPmem() && (data.region() == null || data.region().isPmem());
    this.path = path;
    this.headerPage = headerPage;
    this.layout = headerPage.current().layout();
  }

  /** @return the meta file that belongs to the data file {@code dataPath} */
  public static Path metaPath(Path dataPath) {
    return dataPath.resolveSibling(dataPath.getFileName() + META_SUFFIX);
  }

  /** As {@link #create(Path, BlockFileLayout, Durability)} with {@link Durability#FSYNC}. */
  public static BlockFile create(Path path, BlockFileLayout layout) throws IOException {
    return create(path, layout, Durability.FSYNC);
  }

  /**
   * Creates a free pair of files: both allocated whole, the header durably says FREE, and both
   * files' sizes are durable. Their directory entries are not: callers that need them sync the
   * directory. The data file comes first: a crash before the meta file exists leaves a data
   * file without header, which the restart scan deletes.
   *
   * @param path the new data file; its directory must exist
   * @param layout the layout
   * @param durability how file sizes and directory entries are made durable
   * @return the open file pair
   * @throws io.marvel.pmem.PmemNoSpaceException if the volume cannot hold the files
   * @throws IOException if a file exists or cannot be created, mapped or synced
   */
  public static BlockFile create(Path path, BlockFileLayout layout, Durability durability)
      throws IOException {
    return BlockFileMapper.create(path, layout, durability);
  }

  /** As {@link #open(Path, Durability)} with {@link Durability#FSYNC}. */
  public static BlockFile open(Path path) throws IOException {
    return open(path, Durability.FSYNC);
  }

  /**
   * Maps an existing pair of files and reads the header.
   *
   * @param path the data file; its meta file lies next to it
   * @param durability how later file system changes of the pair are made durable
   * @return the open file pair
   * @throws CorruptBlockFileException if the meta file is missing (naming the single-file layout
   *     of earlier versions when the data file has one), no valid header is found or a size is
   *     wrong
   * @throws IOException if a file cannot be mapped
   */
  public static BlockFile open(Path path, Durability durability) throws IOException {
    return BlockFileMapper.open(path, durability);
  }

  /**
   * Deletes the files of a pair if they exist, the meta file first: a crash in between leaves
   * a data file without header, which the restart scan deletes. Not durable: after a power cut
   * the pair may be back, as a deleted replica of the stock DataNode may (the NameNode deletes
   * it again), or as a free file when its header was made FREE first (recycled ones are).
   *
   * @param path the data file
   * @throws IOException if a delete fails
   */
  public static void deleteFiles(Path path) throws IOException {
    Files.deleteIfExists(metaPath(path));
    Files.deleteIfExists(path);
  }

  /** @return the data file's current path */
  public Path path() {
    return path;
  }

  /** @return the meta file's current path */
  public Path metaPath() {
    return metaPath(path);
  }

  /** @return the layout */
  public BlockFileLayout layout() {
    return layout;
  }

  /** @return true when libpmem persists these files with cache flushes (real or forced PMEM) */
  public boolean isPmem() {
    return pmem;
  }

  /** @return bytes both files occupy on the volume now (less once a finalized one is trimmed) */
  public long bytesOnVolume() {
    return data.limit() + layout.metaFileLength();
  }

  /** @return true while the data file has its full capacity (it is trimmed when finalized) */
  public boolean hasFullDataFile() {
    return data.limit() == layout.dataFileLength();
  }

  /**
   * Cuts the data file to the replica's {@code length}, once it is durably finalized: clients
   * reading short-circuit read the data file to its end, and the rest of the capacity goes back
   * to the volume. Waits for calls in flight; later data accesses stay below the new length.
   * Not durable: a finalized replica's data file found untrimmed after a power cut is trimmed
   * when it is opened.
   *
   * @param length the finalized replica's length in bytes
   * @throws IOException if truncating fails
   * @throws IllegalStateException if the file was handed over
   */
  public void trimData(long length) throws IOException {
    Lock lock = guard.exclusive();
    try {
      guard.checkNotHandedOver();
      data.trim(path, length);
      dataFaultedIn = Math.min(dataFaultedIn, length / PAGE * PAGE);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives a trimmed data file its full capacity back, before the replica is written again
   * (append) or a free file holds the next replica. The file system allocates the new part now
   * ({@code posix_fallocate}, which writes nothing) and reports a full volume as an
   * {@link IOException}; a store into a hole of the mapping would instead kill the DataNode
   * with SIGBUS. The new size is durable on return, before the caller records the replica as
   * being written again: a header saying RBW over a data file of the finalized length would be
   * refused as corrupt after a power cut. Waits for calls in flight.
   *
   * @throws IOException if the volume has no room or mapping fails (the file keeps its length)
   * @throws IllegalStateException if the file was handed over
   */
  public void growData() throws IOException {
    Lock lock = guard.exclusive();
    try {
      guard.checkNotHandedOver();
      data.grow(path, layout.dataFileLength(), durability);
    } finally {
      lock.unlock();
    }
  }

  /** @return the header as last written */
  public BlockFileHeader header() {
    return headerPage.current();
  }

  /**
   * Durably replaces the header, writing the slot not holding the current one.
   *
   * @param newHeader the header; its layout must be this file's
   * @throws PmemException if persisting fails
   */
  public void writeHeader(BlockFileHeader newHeader) throws PmemException {
    headerPage.write(newHeader, this::writeSlot, path);
  }

  private void writeSlot(BlockFileHeader newHeader, long sequence) throws PmemException {
    Lock lock = useChecked();
    try {
      HeaderCodec.write(meta, layout.headerOffset(), newHeader, sequence);
    } catch (IllegalStateException e) {
      throw closed(e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes all data and meta writes of the calling thread durable, then durably records
   * {@code dataLength} in the header.
   *
   * @param dataLength bytes of data now complete with their checksums
   * @throws PmemException if persisting fails
   */
  public void commitLength(long dataLength) throws PmemException {
    Lock lock = useChecked();
    try {
      unsynced.persist(data.region(), meta);
    } catch (IllegalStateException e) {
      throw closed(e);
    } finally {
      lock.unlock();
    }
    headerPage.writeLength(dataLength, this::writeSlot, path);
    commitListener.run();
  }

  /** Has {@code listener} run after every {@link #commitLength} (once per packet received). */
  void onCommit(Runnable listener) {
    commitListener = listener;
  }

  /** Copies {@code count} bytes to data offset {@code position}, flushed but not fenced. */
  public void writeData(long position, byte[] src, int offset, int count) {
    Lock lock = use();
    try {
      if (checkArea(position, count, data.limit(), "data")) {
        PmemRegion region = data.region();
        faultIn(region, position, position + count);
        region.writeFlushed(position, src, offset, count);
        unsynced.addData(position, count);
      }
    } finally {
      lock.unlock();
    }
  }

  /** @return the data offset below which pages are known to be faulted in, for tests */
  long dataFaultedIn() {
    return dataFaultedIn;
  }

  /**
   * Faults in the pages of a data write that are not known to be faulted in yet, with one
   * system call: a replica written into a file that was not prepared would otherwise take a
   * page fault per 4 KiB during the copy, which made such writes 1.5x slower on tmpfs in a VM
   * (see the module README). Best effort: the copy faults in whatever this leaves, and fails
   * there if the pages cannot be had.
   */
  private void faultIn(PmemRegion region, long start, long end) {
    long known = dataFaultedIn;
    long from = Math.max(known, start / PAGE * PAGE);
    if (end <= from) {
      return;
    }
    long to = Math.min(region.length(), (end + PAGE - 1) / PAGE * PAGE);
    try {
      if (region.populate(from, to - from)) {
        if (from == known) {
          dataFaultedIn = to; // only what follows on from the known part is known
        }
        return;
      }
    } catch (PmemException e) {
      // Out of memory or space: the copy meets the same problem and reports it.
    }
    // A kernel before 5.14, or a failure: this file's writes leave the faults to the copy.
    dataFaultedIn = Long.MAX_VALUE;
  }

  /** Copies {@code count} bytes to meta offset {@code position}, flushed but not fenced. */
  public void writeMeta(long position, byte[] src, int offset, int count) {
    checkArea(position, count, layout.metaCapacity(), "meta");
    Lock lock = use();
    try {
      meta.writeFlushed(position, src, offset, count);
      unsynced.addMeta(position, count);
    } finally {
      lock.unlock();
    }
  }

  /** Copies data bytes out. */
  public void readData(long position, byte[] dst, int offset, int count) {
    Lock lock = use();
    try {
      if (checkArea(position, count, data.limit(), "data")) {
        data.region().read(position, dst, offset, count);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Copies data bytes out into the remaining space of {@code dst}. */
  public void readData(long position, ByteBuffer dst) {
    Lock lock = use();
    try {
      if (checkArea(position, dst.remaining(), data.limit(), "data")) {
        data.region().read(position, dst);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes data bytes [position, position + count) into {@code target} from the mapping; a
   * socket gets the mapped pages by reference (see {@link PmemRegion#transferTo}).
   *
   * @return bytes the target took, fewer when a non-blocking target is full
   * @throws IOException if the target fails
   */
  public long transferData(long position, int count, WritableByteChannel target)
      throws IOException {
    return transferData(position, count, target, null);
  }

  /**
   * Opens a sender of the data file by {@code sendfile} for {@link #transferData(long, int,
   * WritableByteChannel, FileSender)}: for a data file in the page cache (the PMEM emulation on
   * tmpfs), where it hands a socket the same pages as the mapping with fewer system calls.
   *
   * @return the sender, which the caller closes, or null when the file is DAX (a socket would
   *     hold PMEM blocks the file system frees on delete) or has no mapping
   * @throws IOException if the data file cannot be opened
   * @throws IllegalStateException if the file was handed over
   */
  public FileSender openDataSender() throws IOException {
    Lock lock = use();
    try {
      PmemRegion region = data.region();
      return region != null && region.isPageCacheBacked() ? FileSender.open(path) : null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes data bytes [position, position + count) into {@code target}: through {@code sender}
   * ({@link #openDataSender}) when the target is a non-blocking socket, else from the mapping as
   * {@link #transferData(long, int, WritableByteChannel)}. Either way a socket gets the pages by
   * reference and the file counts as having lent them ({@link #hasLentPages()}). Sending happens
   * under the guard, so a file handed over to the next replica is never sent.
   *
   * @param sender a sender of this data file, or null
   * @return bytes the target took, fewer when a non-blocking target is full
   * @throws IOException if the target fails
   */
  public long transferData(long position, int count, WritableByteChannel target,
      FileSender sender) throws IOException {
    Lock lock = use();
    try {
      if (!checkArea(position, count, data.limit(), "data")) {
        return 0;
      }
      if (sender != null && target instanceof SocketChannel socket) {
        // Noted before the send: recycling asks after handing over, which waits for this call.
        data.noteLentBySendfile(socket);
        long sent = sender.send(position, count, target);
        if (sent != FileSender.UNSUPPORTED) {
          return sent;
        }
      }
      return data.region().transferTo(position, count, target);
    } finally {
      lock.unlock();
    }
  }

  /**
   * @return true once sockets got data pages by reference: they may still be queued there, so
   *     the file must not be reused for another replica's bytes unless
   *     {@link #takeBackLentPages} says they are not
   */
  public boolean hasLentPages() {
    return data.hasLentPages();
  }

  /**
   * Takes the pages sockets got by reference back, if every one is back: none was lent, or all
   * went by sendfile over loopback connections that, as {@code queues} reads them now, hold no
   * byte sent on them (acknowledged and read by the peer). Only then may the file hold another
   * replica's bytes, and it starts with nothing lent. Call it on the new owner after
   * {@link #handOver}, so that no send can follow the check.
   *
   * @param queues the kernel's view of loopback connections
   * @return whether the file's pages may change without a socket delivering the change
   * @throws IOException if the kernel's socket tables cannot be read
   */
  boolean takeBackLentPages(LoopbackQueues queues) throws IOException {
    if (data.lentUncheckable() || !queues.allDelivered(data.lentTo())) {
      return false;
    }
    data.forgetDeliveredLends();
    return true;
  }

  /**
   * Writes a copy of meta bytes [position, position + count) into {@code target}: meta bytes
   * change when a replica is appended to, so they are never lent by reference.
   *
   * @return bytes the target took
   * @throws IOException if the target fails
   */
  public long copyMeta(long position, int count, WritableByteChannel target)
      throws IOException {
    checkArea(position, count, layout.metaCapacity(), "meta");
    Lock lock = use();
    try {
      return meta.copyTo(position, count, target);
    } finally {
      lock.unlock();
    }
  }

  /** Copies meta bytes out. */
  public void readMeta(long position, byte[] dst, int offset, int count) {
    checkArea(position, count, layout.metaCapacity(), "meta");
    Lock lock = use();
    try {
      meta.read(position, dst, offset, count);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes every page of both files ready for writing, so that later copies neither fault nor
   * wait: {@code madvise} faults them in with one call per file (kernel 5.14 and later; else a
   * one-byte write per page faults them in), then a one-byte read per page has the first
   * access made here. Under a hypervisor with shadow page tables that first access, not the
   * fault, is what costs (some microseconds a page): without it the writer would pay it. Not
   * durable: the content of a free file does not matter. The header page is left alone.
   *
   * @throws PmemException if the kernel cannot fault the pages in (out of memory)
   */
  public void prepare() throws PmemException {
    Lock lock = use();
    try {
      prepare(data.region(), data.limit());
      prepare(meta, layout.headerOffset());
      dataFaultedIn = data.limit() / PAGE * PAGE;
    } finally {
      lock.unlock();
    }
  }

  private static void prepare(PmemRegion region, long end) throws PmemException {
    byte[] one = new byte[1];
    // In pieces: madvise holds the process's memory map lock while it faults pages in, and a
    // thread that maps or unmaps anything, and every page fault after it, waits for it.
    for (long at = 0; at < end; at += PREPARE_CHUNK) {
      long count = Math.min(PREPARE_CHUNK, end - at);
      if (!region.populate(at, count)) {
        touchPages(region, end);
        return;
      }
      for (long page = at; page < at + count; page += PAGE) {
        region.read(page, one, 0, 1);
      }
    }
  }

  private static void touchPages(PmemRegion region, long end) {
    byte[] zero = new byte[1];
    for (long at = 0; at < end; at += PAGE) {
      region.write(at, zero, 0, 1);
    }
  }

  /**
   * Gives the mappings to a new object for the same files, after the calls in flight on this
   * one have finished; every later call on this object fails with {@link IllegalStateException}.
   * This is how a deleted replica's files are reused without mapping them again (mapping costs
   * a page fault per 4 KiB on first touch), while readers still holding the old replica's files
   * can never read the next replica's bytes.
   *
   * @return the new owner of the mappings
   */
  public BlockFile handOver() {
    return headerPage.holdingWrites(() -> {
      Lock lock = guard.exclusive();
      try {
        guard.markHandedOver();
        BlockFile next = new BlockFile(data.copy(), meta, path, headerPage.copy(), durability);
        next.dataFaultedIn = dataFaultedIn; // the same pages, still mapped
        return next;
      } finally {
        lock.unlock();
      }
    });
  }

  /**
   * Renames both files, keeping the mappings: the data file to {@code target}, then the meta
   * file next to it; then syncs the target directory and the source directory, so the pair is
   * durably in its new place on return. The two renames are not one atomic step, so callers
   * rename only pairs whose header says FREE: the restart scan deletes the halves of a pair
   * split by a crash. Both paths must be on the same file system.
   *
   * @param target the new data file path; it and its meta file must not exist
   * @throws IOException if a rename fails (the data file is moved back when it can be) or a
   *     directory cannot be synced
   */
  public void moveTo(Path target) throws IOException {
    Path from = path.getParent();
    Path oldMeta = metaPath();
    Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(oldMeta, metaPath(target), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.move(target, path, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException undo) {
        e.addSuppressed(undo);
        path = target;
      }
      throw e;
    }
    path = target;
    durability.syncDirectory(target.getParent());
    if (!target.getParent().equals(from)) {
      durability.syncDirectory(from);
    }
  }

  /**
   * Unmaps both files after calls in flight; idempotent. The files stay on the volume. After
   * {@link #handOver} the mappings belong to the new object and this does nothing.
   */
  @Override
  public void close() throws PmemException {
    Lock lock = guard.exclusive();
    try {
      if (!guard.isHandedOver()) {
        try {
          if (data.region() != null) {
            data.region().close();
          }
        } finally {
          meta.close();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Unmaps and deletes both files, the meta file first (see {@link #deleteFiles}).
   *
   * @throws IllegalStateException if the file was handed over to a new owner
   */
  public void delete() throws IOException {
    Lock lock = use();
    lock.unlock();
    close();
    deleteFiles(path);
  }

  @Override
  public String toString() {
    return "BlockFile[" + path + ", " + header() + "]";
  }

  /** Like {@link #use()} for callers that report failures as {@link PmemException}. */
  private Lock useChecked() throws PmemException {
    try {
      return use();
    } catch (IllegalStateException e) {
      throw closed(e);
    }
  }

  private PmemException closed(IllegalStateException e) {
    return new PmemException("block file " + path + " is closed: its replica was deleted or "
        + "its volume left service", e);
  }

  /** Holds off {@link #handOver} until released; fails once the file was handed over. */
  private Lock use() {
    return guard.use();
  }

  /** @return whether there is anything to copy: false for an empty range */
  private boolean checkArea(long position, long count, long capacity, String area) {
    if (position < 0 || count < 0 || position > capacity - count) {
      throw new IndexOutOfBoundsException(area + " range [" + position + ", +" + count
          + ") outside the " + capacity + "-byte " + area + " area of " + path);
    }
    return count > 0;
  }
}
