package io.marvel.faas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.state.StateStore;
import io.marvel.faas.state.StateStores;
import io.marvel.faas.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphanSweepTest {
  private static final Coordinator GONE = new Coordinator(Integer.MAX_VALUE, 1);

  @Test
  void aJobWhoseClientDiedLosesItsStateAndIsRecordedFailedALiveOneIsLeft(
      @TempDir Path summaryDir) throws IOException {
    Path stateRoot = Files.createTempDirectory(Path.of("/dev/shm"), "orphan-sweep-");
    try {
      JobRegistry registry = new JobRegistry(summaryDir);
      StoreLocation location = new StoreLocation(StoreLocation.StoreKind.PMEM,
          stateRoot.toString());
      long now = System.currentTimeMillis();
      JobSnapshot orphan = PublishedJobs.snapshot(JobStatus.State.RUNNING, now - 60_000, GONE);
      JobSnapshot live = PublishedJobs.snapshot(JobStatus.State.RUNNING, now - 60_000,
          Coordinator.current());
      live = new JobSnapshot("job_faas42_0008", live.jobName(), live.user(), live.state(),
          live.mapProgress(), live.reduceProgress(), live.startMs(), live.finishMs(),
          live.failureInfo(), live.trackingUrl(), live.jobFile(), live.coordinator(),
          live.heartbeatMs(), live.counters(), live.tasks());
      for (JobSnapshot job : List.of(orphan, live)) {
        registry.publish(job);
        try (StateStore state = StateStores.forJob(location, job.jobId(), new Configuration())) {
          state.prepare();
        }
      }

      assertEquals(List.of(orphan.jobId()), OrphanSweep.sweep(registry, location,
          new Configuration()));
      assertFalse(Files.exists(stateRoot.resolve(orphan.jobId())));
      JobSnapshot recorded = registry.read(orphan.jobId()).orElseThrow();
      assertEquals(JobStatus.State.FAILED, recorded.state());
      assertTrue(recorded.failureInfo().startsWith("Job " + orphan.jobId() + " lost its"
          + " coordinator: the submitting process (pid " + GONE.pid() + ") stopped without"
          + " ending the job"), recorded.failureInfo());
      assertTrue(Files.isDirectory(stateRoot.resolve(live.jobId())), "a live job keeps its state");
      assertEquals(JobStatus.State.RUNNING, registry.read(live.jobId()).orElseThrow().state());
      assertEquals(List.of(), OrphanSweep.sweep(registry, location, new Configuration()),
          "an orphan is ended once");
    } finally {
      TestFiles.deleteTree(stateRoot);
    }
  }
}
