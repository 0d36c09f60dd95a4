package io.marvel.faas.bench;

import java.io.IOException;
import java.util.EnumSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.JobCounter;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.exceptions.YarnException;

/**
 * What a yarn job cost, from YARN's own figures, in GiB-seconds.
 *
 * <p>The whole: the ResourceManager's {@code memorySeconds} of the application
 * ({@code ApplicationResourceUsageReport}), which it sums when each container of the
 * application ends: allocated memory × (finish - creation), where creation is the allocation.
 * It covers every container, the ApplicationMaster's included, for its whole lifetime
 * (localization and JVM start included). Adding the AM or the tasks' counters to it would
 * count them twice.
 *
 * <p>The part of it that task attempts used while they ran: the job counters
 * {@code MB_MILLIS_MAPS + MB_MILLIS_REDUCES}, which the AM counts per attempt as allocated
 * memory × (attempt finish - container launch). The rest is the ApplicationMaster and the
 * containers' allocation, start and teardown.
 */
final class YarnCost {
  private static final double MIB_PER_GIB = 1024.0;
  private static final long SETTLE_MS = 500;
  private static final long DEADLINE_MS = 60_000;

  private YarnCost() {
  }

  /**
   * @param counters the job's counters
   * @return the tasks' GiB-seconds ({@code MB_MILLIS_MAPS + MB_MILLIS_REDUCES})
   */
  static double taskGbSeconds(Counters counters) {
    long mbMillis = counters.findCounter(JobCounter.MB_MILLIS_MAPS).getValue()
        + counters.findCounter(JobCounter.MB_MILLIS_REDUCES).getValue();
    return mbMillis / MIB_PER_GIB / 1000.0;
  }

  /**
   * @param memorySeconds the RM's memory-seconds (MiB × s)
   * @return GiB-seconds
   */
  static double gbSeconds(long memorySeconds) {
    return memorySeconds / MIB_PER_GIB;
  }

  /**
   * Waits until the ResourceManager has ended the job's application and counted its last
   * container (the AM ends after the client sees the job done, and the NodeManager reports
   * ended containers on its heartbeat): the application is in a final state and its
   * memory-seconds did not change for {@value #SETTLE_MS} ms.
   *
   * @param conf the cluster's configuration
   * @param jobId the job
   * @return the application's memory-seconds (MiB × s)
   * @throws IOException if the RM cannot be asked, or the figure does not settle within a
   *     minute
   * @throws InterruptedException if interrupted while waiting
   */
  static long finalMemorySeconds(Configuration conf, JobID jobId)
      throws IOException, InterruptedException {
    ApplicationId app = ApplicationId.newInstance(Long.parseLong(jobId.getJtIdentifier()),
        jobId.getId());
    EnumSet<YarnApplicationState> done = EnumSet.of(YarnApplicationState.FINISHED,
        YarnApplicationState.FAILED, YarnApplicationState.KILLED);
    try (YarnClient yarn = YarnClient.createYarnClient()) {
      yarn.init(conf);
      yarn.start();
      long deadline = System.currentTimeMillis() + DEADLINE_MS;
      long last = -1;
      while (System.currentTimeMillis() < deadline) {
        ApplicationReport report = yarn.getApplicationReport(app);
        long now = report.getApplicationResourceUsageReport().getMemorySeconds();
        if (done.contains(report.getYarnApplicationState()) && now == last) {
          return now;
        }
        last = done.contains(report.getYarnApplicationState()) ? now : -1;
        Thread.sleep(SETTLE_MS);
      }
      throw new IOException("the memory-seconds of " + app + " did not settle within "
          + DEADLINE_MS + " ms");
    } catch (YarnException e) {
      throw new IOException("cannot read the report of " + app + ": " + e.getMessage(), e);
    }
  }
}
