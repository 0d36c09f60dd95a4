package io.marvel.faas.state;

import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.protocol.StoreLocation;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A job's intermediate state: one stored entry per map task holding that map's output, which
 * reducers read partition by partition. One instance serves one job; instances are cheap and
 * may be created in the client and in each task. What differs between the stores is asked
 * here, never by testing the store's kind. Thread-safe.
 */
public interface StateStore extends Closeable {
  /** @return the location this store was opened on */
  StoreLocation location();

  /**
   * Creates the job's directory, checking that the store is usable (writable, libpmem present
   * for {@code pmem}). Idempotent.
   *
   * @throws IOException naming the directory, the problem and the fix
   */
  void prepare() throws IOException;

  /**
   * Stores a map's output, replacing an entry a previous attempt of the same map left. The entry
   * is durable and complete when this returns; readers never see a partial entry.
   *
   * @param mapIndex the map task index
   * @param dataFile the local map output file ({@code file.out}) written by {@code MapTask}
   * @param partitions the partition ranges from the map's spill index, in partition order
   * @return bytes stored
   * @throws IOException if the entry cannot be written; no partial entry remains
   */
  long publishMapOutput(int mapIndex, Path dataFile, List<PartitionRange> partitions)
      throws IOException;

  /**
   * Opens a map's stored output for reading.
   *
   * @param mapIndex the map task index
   * @return a reader, to be closed by the caller
   * @throws java.io.FileNotFoundException if the map has not published output
   * @throws CorruptMapOutputException if the entry is incomplete
   * @throws IOException for other read failures
   */
  MapOutputReader openMapOutput(int mapIndex) throws IOException;

  /**
   * Deletes everything stored for the job. Idempotent.
   *
   * @throws IOException if deleting fails
   */
  void removeJob() throws IOException;

  /**
   * Removes what other jobs left in the same store root and have not touched for {@code ttlMs}:
   * the state of jobs whose client died before it could clean up. Never touches this job.
   *
   * @param ttlMs how long a job's state may stay untouched, in milliseconds
   * @return the job ids whose state was removed
   * @throws IOException if listing or deleting fails
   */
  List<String> sweepStale(long ttlMs) throws IOException;

  /**
   * Where an attempt of this job writes its spills, when the store wants them beside the job's
   * state (on the same device, and removed with the job's state even if the container dies).
   *
   * @param attemptId the attempt
   * @return its scratch dir inside the job's state; empty when the container's own scratch dir
   *     serves
   * @throws IOException if the job's state is gone (the job has ended or was never prepared)
   */
  Optional<Path> attemptScratchDir(String attemptId) throws IOException;

  /**
   * Says, after the map stage, whether map outputs are not where the user asked for them (a
   * storage policy the file system fell back from), for a WARN line of the job.
   *
   * @param mapIndex a map that published its output
   * @return what the user should know, naming the setting and the fix; empty if all is as asked
   * @throws IOException if the map's entry cannot be looked up
   */
  Optional<String> placementWarning(int mapIndex) throws IOException;

  /** @return the counter of the bytes reducers read from this store */
  FaasCounter shuffleBytesCounter();

  /**
   * @param failure why an attempt using this store failed
   * @return a first line for the attempt's diagnostics when the failure means this store needs
   *     the user's action (a full device), naming the setting to change; empty otherwise
   */
  Optional<String> explainFailure(Throwable failure);

  /**
   * @param failure why a reduce attempt using this store failed
   * @return the map whose stored output could not be read because no copy of it is left
   *     (every host holding one is gone), so the map must run again; empty otherwise
   */
  OptionalInt lostMapOutput(Throwable failure);

  /**
   * @param failure why an attempt using this store failed
   * @return true when no other attempt of the job can do better, so the job should fail now
   *     with this failure instead of retrying (the job's state is not on the attempt's host)
   */
  boolean failsJob(Throwable failure);
}
