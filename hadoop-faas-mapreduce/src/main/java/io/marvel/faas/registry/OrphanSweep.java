package io.marvel.faas.registry;

import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.state.StateStore;
import io.marvel.faas.state.StateStores;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends, at a later submission, the jobs whose client died without ending them (SIGKILL, a
 * crash: no shutdown hook ran): the registry shows them running with a stale heartbeat and a
 * coordinator process that is gone. Their state is removed at once rather than after the state
 * TTL (PMEM is often RAM), and their FAILED status, naming the dead process, is published as
 * final. The submitting client then removes their staging dir and aborts their pending output
 * with their committer ({@code DeadJobLeftovers}), since that needs the job's classes.
 */
public final class OrphanSweep {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanSweep.class);

  private OrphanSweep() {
  }

  /**
   * @param registry the job registry of this host and user
   * @param location the state store of the job being submitted
   * @param conf the configuration to open the store with
   * @return the ids of the jobs ended here; failures are logged, never thrown (the submission
   *     goes on)
   */
  public static List<String> sweep(JobRegistry registry, StoreLocation location,
      Configuration conf) {
    List<String> ended = new ArrayList<>();
    List<JobSnapshot> all;
    try {
      all = registry.list();
    } catch (IOException e) {
      LOG.warn("Could not list the job registry {} for jobs whose client died", registry.dir(),
          e);
      return ended;
    }
    long now = System.currentTimeMillis();
    for (JobSnapshot job : all) {
      JobSnapshot judged = job.judged(now, StatusPublisher.TICK_MS, Coordinator::alive);
      if (job.ended() || !judged.ended()) {
        continue;
      }
      try (StateStore state = StateStores.forJob(location, job.jobId(), conf)) {
        state.removeJob();
        registry.publish(judged);
        ended.add(job.jobId());
        LOG.info("Job {}: its client (pid {}) died without ending it; removed its state from {}"
            + " and recorded it FAILED", job.jobId(), job.coordinator().pid(), location);
      } catch (IOException e) {
        LOG.warn("Could not end job {}, whose client (pid {}) died", job.jobId(),
            job.coordinator().pid(), e);
      }
    }
    return ended;
  }
}
