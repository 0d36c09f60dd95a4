package io.marvel.pmem;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a region's bytes in place, without copying them.
 *
 * @param <T> what the reader returns
 */
@FunctionalInterface
public interface ViewReader<T> {
  /**
   * @param view a read-only direct buffer over the requested range, position 0, limit = length;
   *     valid only during this call (after the region closes it reads zeros, never crashes)
   * @return the caller's result
   * @throws IOException if the reader fails
   */
  T read(ByteBuffer view) throws IOException;
}
