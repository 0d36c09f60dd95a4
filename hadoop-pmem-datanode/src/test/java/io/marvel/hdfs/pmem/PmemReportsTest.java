package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.server.protocol.DatanodeStorage;
import org.apache.hadoop.hdfs.server.protocol.StorageReport;
import org.junit.jupiter.api.Test;

class PmemReportsTest {
  private static final DatanodeStorage PMEM = new DatanodeStorage("DS-pmem",
      DatanodeStorage.State.NORMAL, StorageType.NVDIMM);
  private static final DatanodeStorage DISK = new DatanodeStorage("DS-disk",
      DatanodeStorage.State.NORMAL, StorageType.DISK);

  @Test
  void pmemReplicasMoveFromNonDfsToDfsUsageAndPreparedFilesAreReserved() {
    StorageReport stock = new StorageReport(PMEM, false, 1000, 10, 500, 5, 490, "/mnt/pmem0");
    StorageReport[] merged = PmemReports.storageReports(new StorageReport[] {stock},
        Map.of("DS-pmem", 200L), Map.of("DS-pmem", 100L));
    StorageReport r = merged[0];
    assertEquals(900, r.getCapacity(), "prepared files are out of the capacity");
    assertEquals(210, r.getDfsUsed(), "replicas only");
    assertEquals(500, r.getRemaining());
    assertEquals(205, r.getBlockPoolUsed());
    assertEquals(190, r.getNonDfsUsed(), "neither replicas nor prepared files");
    assertEquals(r.getCapacity(), r.getDfsUsed() + r.getRemaining() + r.getNonDfsUsed());
    assertEquals("/mnt/pmem0", r.getMount());
  }

  @Test
  void nonDfsUsageNeverGoesNegativeAndOtherStoragesAreUntouched() {
    StorageReport pmem = new StorageReport(PMEM, false, 1000, 0, 600, 0, 100, "");
    StorageReport disk = new StorageReport(DISK, false, 1000, 50, 900, 50, 50, "");
    StorageReport[] merged = PmemReports.storageReports(new StorageReport[] {pmem, disk},
        Map.of("DS-pmem", 300L), Map.of());
    assertEquals(0, merged[0].getNonDfsUsed());
    assertEquals(1000, merged[0].getCapacity());
    assertEquals(300, merged[0].getDfsUsed());
    assertSame(disk, merged[1]);
  }
}
