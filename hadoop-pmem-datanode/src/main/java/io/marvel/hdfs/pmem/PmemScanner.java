package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.ChecksumMismatch;
import io.marvel.hdfs.pmem.store.PmemReplica;
import io.marvel.hdfs.pmem.store.PmemReplicaMap;
import io.marvel.hdfs.pmem.store.ReplicaVerifier;
import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.apache.hadoop.hdfs.util.DataTransferThrottler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background scan of PMEM replicas, what the stock VolumeScanner does for block files on
 * disk: one daemon thread verifies every finalized PMEM replica against its checksums once per
 * scan period, reading at most {@link ScannerSettings#bytesPerSecond()} (it reads one replica at
 * a time, so no volume is read faster), and reports a corrupt replica to the NameNode the way
 * the stock scanner does. The NameNode then re-replicates the block from a good replica and has
 * the corrupt one deleted.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} to stop. Thread-safe.
 */
final class PmemScanner implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(PmemScanner.class);
  private static final long JOIN_MS = 10_000;

  /** Where corrupt replicas go: the DataNode's {@code reportBadBlocks}. */
  @FunctionalInterface
  interface BadReplicaReporter {
    /**
     * @param block the corrupt replica's block
     * @param volume its volume
     * @throws IOException if the report cannot be queued
     */
    void report(ExtendedBlock block, FsVolumeSpi volume) throws IOException;
  }

  /** A replica as verified: an append or recovery changes the stamp and length. */
  private record Verified(PmemReplica replica, long generationStamp, long length) {
  }

  private final ScannerSettings settings;
  private final PmemReplicaMap replicas;
  private final BadReplicaReporter reporter;
  private final DataTransferThrottler throttler;
  private final Object wakeup = new Object();
  private Map<Verified, Long> verifiedAt = new HashMap<>();
  private volatile boolean stopped;
  private Thread thread;

  PmemScanner(ScannerSettings settings, PmemReplicaMap replicas, BadReplicaReporter reporter) {
    this.settings = settings;
    this.replicas = replicas;
    this.reporter = reporter;
    this.throttler = new DataTransferThrottler(Math.max(1, settings.bytesPerSecond()));
  }

  /** Starts the scan thread, unless the settings disable the scan. */
  synchronized void start() {
    if (!settings.enabled()) {
      LOG.info("PMEM replica scanner disabled ({})", settings);
      return;
    }
    if (thread != null || stopped) {
      throw new IllegalStateException("PMEM replica scanner already started or closed");
    }
    thread = new Thread(this::run, "PMEM replica scanner");
    thread.setDaemon(true);
    thread.start();
    LOG.info("PMEM replica scanner started: every replica every {} ms, at most {} bytes/s",
        settings.periodMs(), settings.bytesPerSecond());
  }

  /** Stops the scan and waits up to 10 s for the thread to end; idempotent. */
  @Override
  public void close() {
    Thread running;
    synchronized (this) {
      stopped = true;
      running = thread;
    }
    synchronized (wakeup) {
      wakeup.notifyAll();
    }
    if (running == null) {
      return;
    }
    running.interrupt();
    try {
      running.join(JOIN_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (running.isAlive()) {
      LOG.warn("PMEM replica scanner did not stop within {} ms", JOIN_MS);
    }
  }

  private void run() {
    try {
      while (!stopped) {
        scanDueReplicas();
        synchronized (wakeup) {
          if (!stopped) {
            wakeup.wait(settings.recheckMs());
          }
        }
      }
    } catch (InterruptedException e) {
      // close() interrupts a scan in progress; nothing is left half done.
    }
    LOG.info("PMEM replica scanner stopped");
  }

  /** One pass: verifies every finalized replica not verified within the last period. */
  private void scanDueReplicas() throws InterruptedException {
    Map<Verified, Long> next = new HashMap<>();
    for (String bpid : replicas.blockPools()) {
      for (PmemReplica replica : replicas.replicas(bpid)) {
        if (stopped) {
          throw new InterruptedException();
        }
        Verified key;
        synchronized (replica) {
          if (replica.getState() != ReplicaState.FINALIZED) {
            continue;
          }
          key = new Verified(replica, replica.getGenerationStamp(), replica.getNumBytes());
        }
        Long last = verifiedAt.get(key);
        long now = System.currentTimeMillis();
        if (last != null && now - last < settings.periodMs()) {
          next.put(key, last);
          continue;
        }
        verify(bpid, key);
        next.put(key, System.currentTimeMillis());
      }
    }
    verifiedAt = next;
  }

  private void verify(String bpid, Verified key) throws InterruptedException {
    PmemReplica replica = key.replica();
    Optional<ChecksumMismatch> mismatch;
    try {
      mismatch = ReplicaVerifier.verify(replica.file(), replica.getBlockId(), key.length(),
          this::pace);
    } catch (IllegalStateException e) {
      LOG.debug("Replica {} was deleted or its volume left service while being scanned",
          replica, e);
      return;
    } catch (RuntimeException e) {
      LOG.warn("Scanning PMEM replica {} failed; it is scanned again next period", replica, e);
      return;
    }
    if (mismatch.isEmpty()) {
      LOG.debug("Scanned PMEM replica {}: checksums match", replica);
      return;
    }
    if (!isUnchanged(bpid, key)) {
      // An append or recovery rewrote the replica while it was read: not evidence of damage.
      LOG.debug("Replica {} changed while being scanned; {} is ignored", replica, mismatch.get());
      return;
    }
    ExtendedBlock block = new ExtendedBlock(bpid, replica.getBlockId(), key.length(),
        key.generationStamp());
    LOG.warn("Reporting corrupt PMEM replica of block {} on volume {}: {}", block,
        replica.getVolume(), mismatch.get());
    try {
      reporter.report(block, replica.getVolume());
    } catch (IOException e) {
      LOG.warn("Reporting corrupt block {} on volume {} failed; it is reported again next period",
          block, replica.getVolume(), e);
    }
  }

  private boolean isUnchanged(String bpid, Verified key) {
    PmemReplica replica = key.replica();
    synchronized (replica) {
      return replicas.get(bpid, replica.getBlockId()) == replica
          && replica.getState() == ReplicaState.FINALIZED
          && replica.getGenerationStamp() == key.generationStamp()
          && replica.getNumBytes() == key.length();
    }
  }

  private void pace(long bytes) throws InterruptedException {
    throttler.throttle(bytes);
    if (stopped || Thread.interrupted()) {
      throw new InterruptedException("PMEM replica scanner stopped");
    }
  }
}
