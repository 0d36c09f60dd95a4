package io.marvel.faas.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.StoreLocation.StoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contract on real libpmem mappings of files in /dev/shm. */
class PmemStateStoreTest extends StateStoreContractTest {
  private Path root;

  @Override
  StateStore newStore() throws IOException {
    root = Files.createDirectories(Path.of("/dev/shm", "faas-store-" + UUID.randomUUID()));
    return new PmemStateStore(new StoreLocation(StoreKind.PMEM, root.toString()), JOB);
  }

  @Override
  StateStore otherJob(String jobId) {
    return new PmemStateStore(new StoreLocation(StoreKind.PMEM, root.toString()), jobId);
  }

  @Override
  Path localRoot() {
    return root;
  }

  @Test
  void incompleteEntryIsReportedAsCorrupt() throws IOException {
    // What a map killed between creating the region and writing the header would leave.
    Files.write(((PmemStateStore) store).entry(5), new byte[64]);
    CorruptMapOutputException e = assertThrows(CorruptMapOutputException.class,
        () -> store.openMapOutput(5));
    assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
  }

  @Test
  void storeRootBelowAFileNamesTheKey() throws IOException {
    Path file = Files.writeString(root.resolve("plain-file"), "x");
    PmemStateStore bad = new PmemStateStore(new StoreLocation(StoreKind.PMEM,
        file.resolve("sub").toString()), JOB);
    IOException e = assertThrows(IOException.class, bad::prepare);
    assertTrue(e.getMessage().contains("mapreduce.faas.state.pmem.dir"), e.getMessage());
    Files.delete(file);
  }

  @Test
  void spillsGoInsideTheJobsStateWhileItExists() throws IOException {
    store.prepare();
    assertEquals(root.resolve(JOB).resolve("scratch").resolve("attempt_1"),
        store.attemptScratchDir("attempt_1").orElseThrow());
    assertEquals(FaasCounter.PMEM_SHUFFLE_BYTES, store.shuffleBytesCounter());
    store.removeJob();
    IOException e = assertThrows(IOException.class, () -> store.attemptScratchDir("attempt_1"));
    assertTrue(e.getMessage().contains("once the job has ended"), e.getMessage());
  }

  @Test
  void aTaskOnAHostWithoutTheJobsStateFailsTheJobNamingTheHdfsStore() {
    // What a task finds on a host other than the client's: the root, but not the job's dir.
    PmemStateStore elsewhere = new PmemStateStore(new StoreLocation(StoreKind.PMEM,
        root.toString()), "job_1700000000000_0099");
    IOException e = assertThrows(IOException.class,
        () -> elsewhere.attemptScratchDir("attempt_1"));
    assertTrue(e.getMessage().startsWith("PMEM state dir " + root.resolve(
        "job_1700000000000_0099") + " of job job_1700000000000_0099 is not on host "),
        e.getMessage());
    assertTrue(e.getMessage().contains("set mapreduce.faas.state.store=hdfs, which keeps map"
        + " outputs in PMEM on the PMEM DataNodes"), e.getMessage());
    assertTrue(elsewhere.failsJob(new RuntimeException("task failed", e)));
    assertFalse(elsewhere.failsJob(new IOException("disk full")));
    assertTrue(elsewhere.lostMapOutput(e).isEmpty(), "running a map again cannot help");
  }

  @Test
  void everythingAReaderReadsIsLocal() throws IOException {
    store.publishMapOutput(0, mapOutput('a', 'b'), RANGES);
    try (MapOutputReader reader = store.openMapOutput(0)) {
      read(reader, 2);
      assertEquals(MapOutputLayout.HEADER_BYTES + 3 * MapOutputLayout.ENTRY_BYTES + 8,
          reader.localBytesRead(), "header, table and the partition read");
      assertEquals(0, reader.remoteBytesRead());
    }
  }
}
