package io.marvel.hdfs.pmem.store;

import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One mapped PMEM file holding one replica (or none, when free): its header, meta data and data,
 * laid out as {@link BlockFileLayout} describes.
 *
 * <p>Durability: {@link #writeData} and {@link #writeMeta} copy with cache flushes but no fence;
 * {@link #commitLength} fences them and then durably records the new length in the header, so
 * after a crash the header never claims bytes that are not in PMEM. Header changes alternate
 * between two slots and are durable on return.
 *
 * <p>Thread safety: data and meta writes to disjoint ranges and all reads may run concurrently;
 * header writes are serialized. {@link #close()} waits for calls in flight.
 */
public final class BlockFile implements Closeable {
  private static final long PAGE = 4096;
  private final PmemRegion region;
  private final BlockFileLayout layout;
  /** Readers and writers share it; {@link #handOver} takes it exclusively. */
  private final ReentrantReadWriteLock access = new ReentrantReadWriteLock();
  private boolean handedOver;
  /** Written ranges not yet synced, for mappings that are not PMEM. */
  private final DirtyRanges dirty = new DirtyRanges();
  private volatile Path path;
  private BlockFileHeader header;
  private long sequence;

  private BlockFile(PmemRegion region, Path path, BlockFileHeader header, long sequence) {
    this.region = region;
    this.path = path;
    this.layout = header.layout();
    this.header = header;
    this.sequence = sequence;
  }

  /**
   * Creates a free block file: the whole file is allocated, its header durably says FREE.
   *
   * @param path the new file; its directory must exist
   * @param layout the layout
   * @return the open file
   * @throws io.marvel.pmem.PmemNoSpaceException if the volume cannot hold the file
   * @throws IOException if the file exists or cannot be created or mapped
   */
  public static BlockFile create(Path path, BlockFileLayout layout) throws IOException {
    PmemRegion region = PmemRegion.create(path, layout.fileLength());
    try {
      BlockFile file = new BlockFile(region, path, BlockFileHeader.free(layout), 0);
      file.writeHeader(BlockFileHeader.free(layout));
      return file;
    } catch (IOException | RuntimeException e) {
      closeQuietly(region, e);
      Files.deleteIfExists(path);
      throw e;
    }
  }

  /**
   * Maps an existing block file and reads its header.
   *
   * @param path the file
   * @return the open file
   * @throws CorruptBlockFileException if no valid header is found or the size is wrong
   * @throws IOException if the file cannot be mapped
   */
  public static BlockFile open(Path path) throws IOException {
    PmemRegion region = PmemRegion.open(path);
    try {
      if (region.length() < BlockFileLayout.HEADER_BYTES) {
        throw new CorruptBlockFileException(path, "only " + region.length() + " bytes long");
      }
      byte[] slot = new byte[HeaderCodec.SLOT_BYTES];
      region.read(0, slot, 0, slot.length);
      Optional<HeaderCodec.Slot> first = HeaderCodec.decode(slot);
      region.read(HeaderCodec.SLOT_BYTES, slot, 0, slot.length);
      Optional<HeaderCodec.Slot> newest = HeaderCodec.newest(first, HeaderCodec.decode(slot));
      if (newest.isEmpty()) {
        throw new CorruptBlockFileException(path, "no valid header slot");
      }
      BlockFileHeader header = newest.get().header();
      if (header.layout().fileLength() != region.length()) {
        throw new CorruptBlockFileException(path, "header describes "
            + header.layout().fileLength() + " bytes but the file has " + region.length());
      }
      return new BlockFile(region, path, header, newest.get().sequence());
    } catch (IOException | RuntimeException e) {
      closeQuietly(region, e);
      throw e;
    }
  }

  /** @return the file's current path */
  public Path path() {
    return path;
  }

  /** @return the layout */
  public BlockFileLayout layout() {
    return layout;
  }

  /** @return true when libpmem persists this file with cache flushes (real or forced PMEM) */
  public boolean isPmem() {
    return region.isPmem();
  }

  /** @return the header as last written */
  public synchronized BlockFileHeader header() {
    return header;
  }

  /**
   * Durably replaces the header, writing the slot not holding the current one.
   *
   * @param newHeader the header; its layout must be this file's
   * @throws PmemException if persisting fails
   */
  public synchronized void writeHeader(BlockFileHeader newHeader) throws PmemException {
    if (!newHeader.layout().equals(layout)) {
      throw new IllegalArgumentException("header layout " + newHeader.layout()
          + " does not match file " + path + " with " + layout);
    }
    long next = sequence + 1;
    byte[] slot = HeaderCodec.encode(newHeader, next);
    Lock lock = useChecked();
    try {
      region.writeDurable((next % 2) * HeaderCodec.SLOT_BYTES, slot, 0, slot.length);
    } catch (IllegalStateException e) {
      throw closed(e);
    } finally {
      lock.unlock();
    }
    sequence = next;
    header = newHeader;
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
      if (region.isPmem()) {
        region.drain();
      } else {
        // Without PMEM, draining means msync of the whole mapping: sync what was written.
        dirty.persist(region);
      }
    } catch (IllegalStateException e) {
      throw closed(e);
    } finally {
      lock.unlock();
    }
    synchronized (this) {
      if (header.dataLength() != dataLength) {
        writeHeader(header.withLength(dataLength));
      }
    }
  }

  /** Copies {@code count} bytes to data offset {@code position}, flushed but not fenced. */
  public void writeData(long position, byte[] src, int offset, int count) {
    checkArea(position, count, layout.dataCapacity(), "data");
    Lock lock = use();
    try {
      region.writeFlushed(layout.dataOffset() + position, src, offset, count);
      dirty.addData(layout.dataOffset() + position, count);
    } finally {
      lock.unlock();
    }
  }

  /** Copies {@code count} bytes to meta offset {@code position}, flushed but not fenced. */
  public void writeMeta(long position, byte[] src, int offset, int count) {
    checkArea(position, count, layout.metaCapacity(), "meta");
    Lock lock = use();
    try {
      region.writeFlushed(layout.metaOffset() + position, src, offset, count);
      dirty.addMeta(layout.metaOffset() + position, count);
    } finally {
      lock.unlock();
    }
  }

  /** Copies data bytes out. */
  public void readData(long position, byte[] dst, int offset, int count) {
    checkArea(position, count, layout.dataCapacity(), "data");
    Lock lock = use();
    try {
      region.read(layout.dataOffset() + position, dst, offset, count);
    } finally {
      lock.unlock();
    }
  }

  /** Copies data bytes out into the remaining space of {@code dst}. */
  public void readData(long position, ByteBuffer dst) {
    checkArea(position, dst.remaining(), layout.dataCapacity(), "data");
    Lock lock = use();
    try {
      region.read(layout.dataOffset() + position, dst);
    } finally {
      lock.unlock();
    }
  }

  /** Copies meta bytes out. */
  public void readMeta(long position, byte[] dst, int offset, int count) {
    checkArea(position, count, layout.metaCapacity(), "meta");
    Lock lock = use();
    try {
      region.read(layout.metaOffset() + position, dst, offset, count);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Touches every page of the meta and data areas (one byte each) so that later copies find
   * them mapped and do not fault. Cheaper than a memset of the whole file, which costs a full
   * extra pass over the memory. Not durable: the content of a free file does not matter.
   */
  public void prepare() {
    byte[] zero = new byte[1];
    Lock lock = use();
    try {
      for (long at = layout.metaOffset(); at < region.length(); at += PAGE) {
        region.write(at, zero, 0, 1);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives the mapping to a new object for the same file, after the calls in flight on this one
   * have finished; every later call on this object fails with {@link IllegalStateException}.
   * This is how a deleted replica's file is reused without mapping it again (mapping costs a
   * page fault per 4 KiB on first touch), while readers still holding the old replica's file
   * can never read the next replica's bytes.
   *
   * @return the new owner of the mapping
   */
  public BlockFile handOver() {
    Lock lock = access.writeLock();
    lock.lock();
    try {
      if (handedOver) {
        throw new IllegalStateException("block file " + path + " was handed over already");
      }
      handedOver = true;
      synchronized (this) {
        return new BlockFile(region, path, header, sequence);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Renames the file, keeping the mapping. Both paths must be on the same file system.
   *
   * @param target the new path, which must not exist
   * @throws IOException if the rename fails
   */
  public void moveTo(Path target) throws IOException {
    Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
    path = target;
  }

  /**
   * Unmaps the file after calls in flight; idempotent. The file stays on the volume. After
   * {@link #handOver} the mapping belongs to the new object and this does nothing.
   */
  @Override
  public void close() throws PmemException {
    Lock lock = access.writeLock();
    lock.lock();
    try {
      if (!handedOver) {
        region.close();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Unmaps and deletes the file.
   *
   * @throws IllegalStateException if the file was handed over to a new owner
   */
  public void delete() throws IOException {
    Lock lock = use();
    lock.unlock();
    close();
    Files.deleteIfExists(path);
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
    Lock lock = access.readLock();
    lock.lock();
    if (handedOver) {
      lock.unlock();
      throw new IllegalStateException("block file " + path + " was recycled for another replica");
    }
    return lock;
  }

  private void checkArea(long position, long count, long capacity, String area) {
    if (position < 0 || count < 0 || position > capacity - count) {
      throw new IndexOutOfBoundsException(area + " range [" + position + ", +" + count
          + ") outside the " + capacity + "-byte " + area + " area of " + path);
    }
  }

  private static void closeQuietly(PmemRegion region, Exception primary) {
    try {
      region.close();
    } catch (PmemException e) {
      primary.addSuppressed(e);
    }
  }
}
