package io.marvel.faas.state;

import java.io.Closeable;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * Reads the partitions of one stored map output. Streams it hands out stay valid until the
 * reader is closed. Not thread-safe: one reducer uses one reader.
 */
public interface MapOutputReader extends Closeable {
  /** @return the layout read from the map output's header */
  MapOutputLayout layout();

  /** @return the number of partitions in the map output */
  default int partitions() {
    return layout().partitions().size();
  }

  /**
   * @param partition the reduce partition
   * @return its range in the map output data
   * @throws IllegalArgumentException if there is no such partition
   */
  default PartitionRange range(int partition) {
    return layout().partition(partition);
  }

  /**
   * Opens a stream positioned at the first byte of a partition's IFile segment; the caller reads
   * at most {@link PartitionRange#partLength()} bytes.
   *
   * @param partition the reduce partition
   * @return the stream
   * @throws IOException if the entry cannot be read
   */
  FSDataInputStream openPartition(int partition) throws IOException;

  /**
   * @return bytes this reader has read so far from a copy on this host (a PMEM file, or a
   *     replica of this host's DataNode, short-circuit or through its socket), including the
   *     entry's header and table; 0 when the store cannot tell
   */
  long localBytesRead();

  /**
   * @return bytes this reader has read so far over the network from another host's DataNode;
   *     0 when the store cannot tell
   */
  long remoteBytesRead();
}
