package io.marvel.faas.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.protocol.CommitGates;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttemptCommitTest {
  private static final String ATTEMPT = "attempt_1_0001_m_000003_0";

  @TempDir
  java.nio.file.Path staging;

  private CommitGates gates() throws IOException {
    return new CommitGates(FileSystem.getLocal(new Configuration()),
        new Path(staging.toUri()));
  }

  @Test
  void claimsOnceAndThenKeepsThePermission() throws IOException {
    CommitGates gates = gates();
    gates.prepare();
    AttemptCommit commit = new AttemptCommit(gates, ATTEMPT);

    commit.claim();
    commit.claim();

    assertFalse(gates.claim(ATTEMPT), "the coordinator can no longer abandon it");
  }

  @Test
  void abandonedAttemptIsRefusedWithoutACheckedException() throws IOException {
    CommitGates gates = gates();
    gates.prepare();
    assertTrue(gates.claim(ATTEMPT), "the coordinator abandons the attempt first");

    AttemptCommit.AbandonedException e = assertThrows(AttemptCommit.AbandonedException.class,
        () -> new AttemptCommit(gates, ATTEMPT).claim());

    assertEquals("task attempt " + ATTEMPT + " was abandoned by the coordinator (killed or"
        + " failed by the user); its output is not committed", e.getMessage());
  }

  @Test
  void gateThatCannotBeCheckedRefusesTheCommit() throws IOException {
    CommitGates gates = gates();

    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> new AttemptCommit(gates, ATTEMPT).claim());

    assertEquals("task attempt " + ATTEMPT + " cannot claim its commit in " + gates.dir()
        + "; its output is not committed", e.getMessage());
  }

  @Test
  void anAttemptIsAbandonedWhenTheCoordinatorClosedItsGateOrTheJobEnded() throws IOException {
    CommitGates gates = gates();
    gates.prepare();
    AttemptCommit running = new AttemptCommit(gates, ATTEMPT);
    assertFalse(running.isAbandoned(), "nobody closed the gate");

    assertTrue(gates.claim(ATTEMPT), "the coordinator abandons the attempt");
    assertTrue(running.isAbandoned());

    AttemptCommit committed = new AttemptCommit(gates, "attempt_1_0001_m_000004_0");
    committed.claim();
    assertFalse(committed.isAbandoned(), "an attempt that claimed its commit keeps running");

    FileSystem.getLocal(new Configuration()).delete(gates.dir(), true);
    assertTrue(new AttemptCommit(gates, "attempt_1_0001_m_000005_0").isAbandoned(),
        "the job ended: its gate dir is gone");
    assertFalse(committed.isAbandoned());
  }
}
