package io.marvel.pmem.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.PmemException;
import io.marvel.pmem.PmemRegion;
import io.marvel.pmem.ShmTempDirFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordLogTest {
  private static final long MAGIC = 0x4d564c4f47L;

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void appendedRecordsAreRecoveredInOrder() throws Exception {
    Path file = dir.resolve("log");
    try (PmemRegion region = PmemRegion.create(file, 64 * 1024)) {
      RecordLog log = RecordLog.format(region, MAGIC, 1);
      for (int i = 0; i < 50; i++) {
        byte[] r = ("record " + i).getBytes(StandardCharsets.UTF_8);
        log.append(r, 0, r.length);
      }
      log.append(new byte[0], 0, 0);
    }
    try (PmemRegion region = PmemRegion.open(file)) {
      RecordLog.Recovery recovery = RecordLog.open(region, MAGIC).recover();
      assertEquals(51, recovery.records().size());
      assertEquals(0, recovery.tornTailBytes());
      assertArrayEquals("record 7".getBytes(StandardCharsets.UTF_8), recovery.records().get(7));
      assertEquals(0, recovery.records().get(50).length);
    }
  }

  @Test
  void bytesPastTheCommittedEndAreIgnoredAsATornTail() throws Exception {
    try (PmemRegion region = PmemRegion.create(dir.resolve("torn"), 8192)) {
      RecordLog log = RecordLog.format(region, MAGIC, 1);
      log.append(new byte[] {1, 2, 3}, 0, 3);
      long end = HeaderSlots.SIZE + log.header().persistedLength();
      // A record whose data landed but whose header commit did not.
      region.writeDurable(end, new byte[] {5, 0, 0, 0, 9, 9, 9, 9, 42}, 0, 9);
      RecordLog.Recovery recovery = RecordLog.open(region, MAGIC).recover();
      assertEquals(1, recovery.records().size());
      assertEquals(9, recovery.tornTailBytes());
    }
  }

  @Test
  void aDamagedCommittedRecordIsReportedWithItsOffset() throws Exception {
    try (PmemRegion region = PmemRegion.create(dir.resolve("bad"), 8192)) {
      RecordLog log = RecordLog.format(region, MAGIC, 1);
      log.append(new byte[] {1, 2, 3, 4}, 0, 4);
      region.writeDurable(HeaderSlots.SIZE + 9, new byte[] {77}, 0, 1);
      IOException e = assertThrows(IOException.class,
          () -> RecordLog.open(region, MAGIC).recover());
      assertTrue(e.getMessage().contains("damaged record at offset 128")
          && e.getMessage().contains("checksum mismatch"), e.getMessage());
    }
  }

  @Test
  void aRecordThatDoesNotFitIsRejectedAndTheLogStaysUsable() throws Exception {
    try (PmemRegion region = PmemRegion.create(dir.resolve("full"), 1024)) {
      RecordLog log = RecordLog.format(region, MAGIC, 1);
      PmemException e = assertThrows(PmemException.class,
          () -> log.append(new byte[2000], 0, 2000));
      assertTrue(e.getMessage().contains("does not fit") && e.getMessage().contains("full"),
          e.getMessage());
      log.append(new byte[] {1}, 0, 1);
      assertEquals(1, log.recover().records().size());
    }
  }
}
