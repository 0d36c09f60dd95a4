package io.marvel.pmem;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The direct buffers through which a region's bytes are read in place, and what closing the
 * region does to them. A buffer's capacity is an {@code int}, so a region is covered by windows
 * of at most {@link #WINDOW_SIZE} bytes, each created once. Slices handed to readers keep their
 * window reachable; when the region closes with windows created, the mapping is replaced by
 * anonymous memory (see {@link PmemNative#retire}) and unmapped only once every window is
 * garbage, so a view that escaped its callback can never touch unmapped memory.
 */
final class ViewWindows {
  static final long WINDOW_SIZE = 1L << 30;
  private static final Cleaner CLEANER = Cleaner.create();

  private final long address;
  private final long length;
  private final ByteBuffer[] windows;
  /** Windows still reachable plus one for the open region itself. */
  private final AtomicInteger holders = new AtomicInteger(1);

  ViewWindows(long address, long length) {
    this.address = address;
    this.length = length;
    this.windows = new ByteBuffer[(int) ((length + WINDOW_SIZE - 1) / WINDOW_SIZE)];
  }

  /** Returns a read-only view of [offset, offset + size); the caller holds the region open. */
  ByteBuffer view(long offset, int size) {
    int index = (int) (offset / WINDOW_SIZE);
    long start = (long) index * WINDOW_SIZE;
    if (offset + size > start + WINDOW_SIZE) {
      // Crosses a window boundary: a buffer of its own, tracked like a window.
      return track(PmemNative.newView(address + offset, size)).asReadOnlyBuffer();
    }
    ByteBuffer window;
    synchronized (windows) {
      window = windows[index];
      if (window == null) {
        window = track(PmemNative.newView(address + start, Math.min(WINDOW_SIZE, length - start)));
        windows[index] = window;
      }
    }
    return window.slice((int) (offset - start), size).asReadOnlyBuffer();
  }

  private ByteBuffer track(ByteBuffer buffer) {
    holders.incrementAndGet();
    CLEANER.register(buffer, this::drop);
    return buffer;
  }

  /** Whether any view was ever created, so closing needs the retire step. */
  boolean any() {
    // Windows are tracked too, and the array keeps them reachable while the region is open.
    return holders.get() > 1;
  }

  /** Called once by the closing region after it retired the mapping. */
  void closeRegion() {
    synchronized (windows) {
      Arrays.fill(windows, null);
    }
    drop();
  }

  private void drop() {
    if (holders.decrementAndGet() == 0) {
      // Only anonymous memory is left here; failing to unmap it leaks address space, not data.
      PmemNative.release(address, length);
    }
  }
}
