package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.marvel.hdfs.pmem.DuplicateReplicaRule.Decision;
import io.marvel.hdfs.pmem.DuplicateReplicaRule.Keep;
import io.marvel.hdfs.pmem.DuplicateReplicaRule.Version;
import org.junit.jupiter.api.Test;

class DuplicateReplicaRuleTest {

  @Test
  void newerGenerationStampWinsOverLength() {
    assertEquals(new Decision(Keep.STOCK, "newer generation stamp"),
        DuplicateReplicaRule.choose(new Version(1001, 5000, true), new Version(1002, 10, true)));
    assertEquals(new Decision(Keep.PMEM, "newer generation stamp"),
        DuplicateReplicaRule.choose(new Version(1003, 10, false), new Version(1002, 5000, true)));
  }

  @Test
  void withEqualStampsTheLongerWins() {
    assertEquals(new Decision(Keep.STOCK, "longer"),
        DuplicateReplicaRule.choose(new Version(1001, 4096, true), new Version(1001, 4097, true)));
    assertEquals(new Decision(Keep.PMEM, "longer"),
        DuplicateReplicaRule.choose(new Version(1001, 4097, false), new Version(1001, 4096, true)));
  }

  @Test
  void withEqualStampsAndLengthsTheFinalizedWins() {
    assertEquals(new Decision(Keep.STOCK, "finalized"),
        DuplicateReplicaRule.choose(new Version(1001, 4096, false), new Version(1001, 4096, true)));
    assertEquals(new Decision(Keep.PMEM, "finalized"),
        DuplicateReplicaRule.choose(new Version(1001, 4096, true), new Version(1001, 4096, false)));
  }

  @Test
  void copiesOfTheSameBytesKeepPmem() {
    assertEquals(new Decision(Keep.PMEM, "same bytes, PMEM preferred"),
        DuplicateReplicaRule.choose(new Version(1001, 4096, true), new Version(1001, 4096, true)));
    assertEquals(Keep.PMEM, DuplicateReplicaRule.choose(new Version(1001, 0, false),
        new Version(1001, 0, false)).keep());
  }
}
