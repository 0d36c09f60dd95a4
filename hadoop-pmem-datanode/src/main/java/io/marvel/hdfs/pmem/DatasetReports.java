package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PmemReplica;
import io.marvel.hdfs.pmem.store.PmemReplicaMap;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.hdfs.protocol.BlockListAsLongs;
import org.apache.hadoop.hdfs.server.datanode.Replica;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.protocol.DatanodeStorage;
import org.apache.hadoop.hdfs.server.protocol.StorageReport;

/**
 * What the dataset reports to the NameNode and to JMX, the stock dataset's figures with the
 * PMEM replicas added ({@link PmemReports} builds the reports). Prepared block files are
 * reserved space, not DFS usage. Thread-safe.
 */
final class DatasetReports {
  private final FsDatasetSpi<?> stock;
  private final PmemReplicaMap replicas;
  private final PmemVolumes volumes;

  DatasetReports(FsDatasetSpi<?> stock, PmemReplicas pmem) {
    this.stock = stock;
    this.replicas = pmem.map();
    this.volumes = pmem.volumes();
  }

  /** {@code FsDatasetSpi.getBlockReports}. */
  Map<DatanodeStorage, BlockListAsLongs> blockReports(String bpid) {
    return PmemReports.blockReports(stock.getBlockReports(bpid), replicas.replicas(bpid));
  }

  /** {@code FsDatasetSpi.getStorageReports}. */
  StorageReport[] storageReports(String bpid) throws IOException {
    Map<String, Long> used = new HashMap<>();
    Map<String, Long> reserved = new HashMap<>();
    for (PmemVolume volume : volumes.all()) {
      reserved.put(volume.storageId(), volume.preparedBytes());
    }
    for (PmemReplica replica : replicas.replicas(bpid)) {
      used.merge(replica.getStorageUuid(), replica.file().bytesOnVolume(), Long::sum);
    }
    return PmemReports.storageReports(stock.getStorageReports(bpid), used, reserved);
  }

  /** @return bytes of DFS usage, stock and PMEM */
  long dfsUsed() throws IOException {
    long used = stock.getDfsUsed();
    for (String bpid : replicas.blockPools()) {
      used += blockPoolUsedByPmem(bpid);
    }
    return used;
  }

  /** @return the stock capacity less the prepared block files, bytes */
  long capacity() throws IOException {
    long capacity = stock.getCapacity();
    for (PmemVolume volume : volumes.all()) {
      capacity -= volume.preparedBytes();
    }
    return Math.max(0, capacity);
  }

  /** @return bytes a block pool uses, stock and PMEM */
  long blockPoolUsed(String bpid) throws IOException {
    return stock.getBlockPoolUsed(bpid) + blockPoolUsedByPmem(bpid);
  }

  private long blockPoolUsedByPmem(String bpid) {
    long used = 0;
    for (PmemReplica replica : replicas.replicas(bpid)) {
      used += replica.file().bytesOnVolume();
    }
    return used;
  }

  /** {@code FsDatasetSpi.deepCopyReplica}: PMEM replicas as they are reported. */
  Set<? extends Replica> deepCopyReplica(String bpid) throws IOException {
    Set<Replica> all = new HashSet<>(stock.deepCopyReplica(bpid));
    for (PmemReplica replica : replicas.replicas(bpid)) {
      all.add(PmemReports.ReportedReplica.of(replica) == null ? replica
          : PmemReports.ReportedReplica.of(replica));
    }
    return all;
  }
}
