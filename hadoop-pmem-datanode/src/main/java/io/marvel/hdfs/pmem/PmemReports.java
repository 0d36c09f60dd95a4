package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PmemReplica;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.hdfs.protocol.Block;
import org.apache.hadoop.hdfs.protocol.BlockListAsLongs;
import org.apache.hadoop.hdfs.protocol.BlockListAsLongs.BlockReportReplica;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.Replica;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.apache.hadoop.hdfs.server.protocol.DatanodeStorage;
import org.apache.hadoop.hdfs.server.protocol.StorageReport;

/**
 * Adds PMEM replicas to what the stock dataset reports to the NameNode: the replicas in each
 * [NVDIMM] storage's block report (each block once) and the bytes PMEM block files occupy in
 * storage reports. Stateless.
 */
final class PmemReports {
  private PmemReports() {
  }

  /**
   * @param stockReports the stock dataset's block reports, one per storage
   * @param pmemReplicas the PMEM replicas of the same block pool
   * @return the reports with every PMEM replica added to its storage's report; temporary
   *     replicas are left out and replicas under recovery reported as waiting for it, as the
   *     stock dataset does. A stock replica of a block that also has a reported PMEM replica is
   *     left out: the dataset serves the PMEM one, and the stock one is a duplicate about to be
   *     deleted (see {@link DuplicateReplicas}), so each block is reported once.
   */
  static Map<DatanodeStorage, BlockListAsLongs> blockReports(
      Map<DatanodeStorage, BlockListAsLongs> stockReports, List<PmemReplica> pmemReplicas) {
    Map<String, List<ReportedReplica>> byStorage = new HashMap<>();
    Set<Long> served = new HashSet<>();
    for (PmemReplica replica : pmemReplicas) {
      ReportedReplica reported = ReportedReplica.of(replica);
      if (reported != null) {
        byStorage.computeIfAbsent(replica.getStorageUuid(), k -> new ArrayList<>())
            .add(reported);
        served.add(replica.getBlockId());
      }
    }
    Map<DatanodeStorage, BlockListAsLongs> merged = new HashMap<>();
    for (Map.Entry<DatanodeStorage, BlockListAsLongs> entry : stockReports.entrySet()) {
      List<ReportedReplica> ours = byStorage.get(entry.getKey().getStorageID());
      BlockListAsLongs stock = entry.getValue();
      if (ours == null && !reportsAny(stock, served)) {
        merged.put(entry.getKey(), stock);
        continue;
      }
      BlockListAsLongs.Builder builder = BlockListAsLongs.builder();
      for (BlockReportReplica replica : stock) {
        if (!served.contains(replica.getBlockId())) {
          builder.add(replica);
        }
      }
      for (ReportedReplica replica : ours == null ? List.<ReportedReplica>of() : ours) {
        builder.add(replica);
      }
      merged.put(entry.getKey(), builder.build());
    }
    return merged;
  }

  private static boolean reportsAny(BlockListAsLongs report, Set<Long> blockIds) {
    if (blockIds.isEmpty()) {
      return false;
    }
    for (BlockReportReplica replica : report) {
      if (blockIds.contains(replica.getBlockId())) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param stockReports the stock dataset's storage reports
   * @param usedByStorage bytes this block pool's PMEM replicas occupy per storage id
   * @param reservedByStorage bytes of prepared (empty) block files per storage id: space set
   *     aside for future replicas, reported as reserved (out of the capacity) like
   *     dfs.datanode.du.reserved, not as DFS usage a fresh cluster would seem to have
   * @return the reports with PMEM replicas counted as DFS usage rather than non-DFS usage
   */
  static StorageReport[] storageReports(StorageReport[] stockReports,
      Map<String, Long> usedByStorage, Map<String, Long> reservedByStorage) {
    StorageReport[] result = new StorageReport[stockReports.length];
    for (int i = 0; i < stockReports.length; i++) {
      StorageReport report = stockReports[i];
      String id = report.getStorage().getStorageID();
      long used = usedByStorage.getOrDefault(id, 0L);
      long reserved = reservedByStorage.getOrDefault(id, 0L);
      if (used == 0 && reserved == 0) {
        result[i] = report;
        continue;
      }
      result[i] = new StorageReport(report.getStorage(), report.isFailed(),
          Math.max(0, report.getCapacity() - reserved), report.getDfsUsed() + used,
          report.getRemaining(), report.getBlockPoolUsed() + used,
          Math.max(0, report.getNonDfsUsed() - used - reserved), report.getMount());
    }
    return result;
  }

  /** How a replica appears in a block report. */
  static final class ReportedReplica extends Block implements Replica {
    private final ReplicaState state;
    private final PmemReplica replica;

    private ReportedReplica(PmemReplica replica, ReplicaState state) {
      super(replica.getBlockId(), replica.getBytesOnDisk(), replica.getGenerationStamp());
      this.state = state;
      this.replica = replica;
    }

    /** @return the reported view, or null for a replica not reported */
    static ReportedReplica of(PmemReplica replica) {
      return switch (replica.getState()) {
        case TEMPORARY -> null;
        case RUR -> new ReportedReplica(replica, ReplicaState.RWR);
        default -> new ReportedReplica(replica, replica.getState());
      };
    }

    @Override
    public ReplicaState getState() {
      return state;
    }

    @Override
    public long getBytesOnDisk() {
      return getNumBytes();
    }

    @Override
    public long getVisibleLength() {
      return replica.getVisibleLength();
    }

    @Override
    public String getStorageUuid() {
      return replica.getStorageUuid();
    }

    @Override
    public boolean isOnTransientStorage() {
      return false;
    }

    @Override
    public FsVolumeSpi getVolume() {
      return replica.getVolume();
    }

    @Override
    public boolean equals(Object o) {
      return super.equals(o);
    }

    @Override
    public int hashCode() {
      return super.hashCode();
    }
  }
}
