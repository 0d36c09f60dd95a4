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
  void pmemFilesMoveFromNonDfsToDfsUsage() {
    StorageReport stock = new StorageReport(PMEM, false, 1000, 10, 600, 5, 390, "/mnt/pmem0");
    StorageReport[] merged = PmemReports.storageReports(new StorageReport[] {stock},
        Map.of("DS-pmem", 300L), Map.of("DS-pmem", 200L));
    StorageReport r = merged[0];
    assertEquals(1000, r.getCapacity());
    assertEquals(310, r.getDfsUsed());
    assertEquals(600, r.getRemaining());
    assertEquals(205, r.getBlockPoolUsed());
    assertEquals(90, r.getNonDfsUsed());
    assertEquals("/mnt/pmem0", r.getMount());
  }

  @Test
  void nonDfsUsageNeverGoesNegativeAndOtherStoragesAreUntouched() {
    StorageReport pmem = new StorageReport(PMEM, false, 1000, 0, 600, 0, 100, "");
    StorageReport disk = new StorageReport(DISK, false, 1000, 50, 900, 50, 50, "");
    StorageReport[] merged = PmemReports.storageReports(new StorageReport[] {pmem, disk},
        Map.of("DS-pmem", 300L), Map.of());
    assertEquals(0, merged[0].getNonDfsUsed());
    assertEquals(300, merged[0].getDfsUsed());
    assertSame(disk, merged[1]);
  }
}
