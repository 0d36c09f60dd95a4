package io.marvel.faas.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitGatesTest {
  @TempDir
  java.nio.file.Path staging;

  private CommitGates gates() throws IOException {
    return new CommitGates(FileSystem.getLocal(new Configuration()),
        new Path(staging.toUri()));
  }

  @Test
  void firstPartyToClaimAnAttemptWins() throws IOException {
    CommitGates gates = gates();
    gates.prepare();

    assertTrue(gates.claim("attempt_1_0001_m_000000_0"));
    assertFalse(gates.claim("attempt_1_0001_m_000000_0"), "the other party finds it taken");
    assertTrue(gates.claim("attempt_1_0001_m_000000_1"), "each attempt has its own gate");
  }

  @Test
  void exactlyOneOfManyRacingClaimsWinsOnTheLocalFileSystem() throws Exception {
    CommitGates gates = gates();
    gates.prepare();
    int parties = 8;
    for (int round = 0; round < 50; round++) {
      String attempt = "attempt_1_0001_m_000000_" + round;
      CyclicBarrier start = new CyclicBarrier(parties);
      ExecutorService pool = Executors.newFixedThreadPool(parties);
      try {
        List<Future<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < parties; i++) {
          claims.add(pool.submit(() -> {
            start.await();
            return gates.claim(attempt);
          }));
        }
        int winners = 0;
        for (Future<Boolean> claim : claims) {
          winners += claim.get() ? 1 : 0;
        }
        assertEquals(1, winners, "round " + round);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void noClaimOnceTheStagingDirIsGone() throws IOException {
    CommitGates gates = gates();

    assertThrows(FileNotFoundException.class, () -> gates.claim("attempt_1_0001_r_000000_0"));
    assertFalse(Files.exists(staging.resolve(CommitGates.DIR)),
        "a late attempt does not recreate the gate dir");
  }
}
