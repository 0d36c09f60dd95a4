package io.marvel.faas.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.marvel.faas.client.EmbeddedPlatformAddress;
import io.marvel.whisk.client.WhiskClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.Cluster;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.exceptions.YarnException;

/**
 * What one job of a mode cost, found without a handle on the job (terasort runs through
 * Hadoop's own {@code Tool}): the job is the one that appeared between {@link #before} and
 * {@link #after} (jobs of one benchmark JVM run one at a time). For faas, its summary in the
 * summary dir names its activations ({@link ActivationCost}); for yarn, the ResourceManager
 * names its application ({@link YarnCost}). {@code local} has no containers to cost.
 */
abstract class CostMeter {
  /**
   * @param gbSeconds GiB-seconds of the job's containers
   * @param taskGbSeconds the part task attempts used while they ran
   * @param cold activations that found no cached job in their container (faas), else 0
   * @param warm activations that did (faas), else 0
   */
  record Cost(double gbSeconds, double taskGbSeconds, long cold, long warm) {
    static final Cost NONE = new Cost(Double.NaN, Double.NaN, 0, 0);
  }

  /** Notes the jobs that exist before the measured one. */
  abstract void before() throws IOException;

  /**
   * Waits for the job's final figures (for yarn, the end of its ApplicationMaster).
   *
   * @throws IOException if there is not exactly one new job, or its figures cannot be read
   * @throws InterruptedException if interrupted while waiting
   */
  abstract void awaitEnd() throws IOException, InterruptedException;

  /**
   * @return the cost of the job that appeared since {@link #before}
   * @throws IOException as {@link #awaitEnd}
   */
  abstract Cost after() throws IOException;

  /**
   * @param mode the benchmark mode
   * @param conf the jobs' configuration
   * @param summaryDir faas's summary dir (faas modes)
   * @return the meter of the mode
   */
  static CostMeter of(String mode, Configuration conf, Path summaryDir) {
    return switch (mode) {
      case "yarn" -> new Yarn(conf);
      case "faas-pmem", "faas-cold", "faas-hdfs" -> new Faas(conf, summaryDir);
      default -> new None();
    };
  }

  private static final class None extends CostMeter {
    @Override
    void before() {
    }

    @Override
    void awaitEnd() {
    }

    @Override
    Cost after() {
      return Cost.NONE;
    }
  }

  private static final class Faas extends CostMeter {
    private final Configuration conf;
    private final Path summaryDir;
    private Set<Path> known = Set.of();

    Faas(Configuration conf, Path summaryDir) {
      this.conf = conf;
      this.summaryDir = summaryDir;
    }

    @Override
    void before() throws IOException {
      known = summaries();
    }

    @Override
    void awaitEnd() {
      // The job's summary is written before the client sees the job end; no container ends.
    }

    @Override
    Cost after() throws IOException {
      Set<Path> added = summaries();
      added.removeAll(known);
      if (added.size() != 1) {
        throw new IOException("expected one new job summary in " + summaryDir + ", found "
            + added);
      }
      Path summary = added.iterator().next();
      List<String> ids = ActivationCost.activationIds(summary);
      WhiskClient client = WhiskClient.create(EmbeddedPlatformAddress.of(conf));
      double gbs = ActivationCost.gbSeconds(ActivationCost.records(client, ids));
      // Warm-ups are containers the job paid for, but no task work.
      double warmUpGbs = ActivationCost.gbSeconds(ActivationCost.records(client,
          ActivationCost.warmUpActivationIds(summary)));
      long cold = 0;
      long warm = 0;
      JsonObject json = JsonParser.parseString(Files.readString(summary,
          StandardCharsets.UTF_8)).getAsJsonObject();
      for (JsonElement a : json.getAsJsonArray("attempts")) {
        String cache = a.getAsJsonObject().get("jobCache").getAsString();
        cold += cache.equals("miss") ? 1 : 0;
        warm += cache.equals("hit") ? 1 : 0;
      }
      return new Cost(gbs + warmUpGbs, gbs, cold, warm);
    }

    private Set<Path> summaries() throws IOException {
      if (!Files.isDirectory(summaryDir)) {
        return new HashSet<>();
      }
      try (Stream<Path> files = Files.list(summaryDir)) {
        return new HashSet<>(files.filter(p -> p.getFileName().toString().startsWith("job_")
            && p.getFileName().toString().endsWith(".json")).toList());
      }
    }
  }

  private static final class Yarn extends CostMeter {
    private final Configuration conf;
    private Set<ApplicationId> known = Set.of();
    private JobID job;
    private long memorySeconds;

    Yarn(Configuration conf) {
      this.conf = conf;
    }

    @Override
    void before() throws IOException {
      known = applications();
    }

    @Override
    void awaitEnd() throws IOException, InterruptedException {
      Set<ApplicationId> added = applications();
      added.removeAll(known);
      if (added.size() != 1) {
        throw new IOException("expected one new YARN application, found " + added);
      }
      ApplicationId app = added.iterator().next();
      job = new JobID(Long.toString(app.getClusterTimestamp()), app.getId());
      memorySeconds = YarnCost.finalMemorySeconds(conf, job);
    }

    @Override
    Cost after() throws IOException {
      Cluster cluster = new Cluster(conf);
      try {
        Job j = cluster.getJob(job);
        if (j == null) {
          throw new IOException("the history server does not know " + job);
        }
        return new Cost(YarnCost.gbSeconds(memorySeconds), YarnCost.taskGbSeconds(
            j.getCounters()), 0, 0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading the counters of " + job, e);
      } finally {
        cluster.close();
      }
    }

    private Set<ApplicationId> applications() throws IOException {
      try (YarnClient yarn = YarnClient.createYarnClient()) {
        yarn.init(conf);
        yarn.start();
        Set<ApplicationId> ids = new HashSet<>();
        for (ApplicationReport r : yarn.getApplications()) {
          ids.add(r.getApplicationId());
        }
        return ids;
      } catch (YarnException e) {
        throw new IOException("cannot list YARN applications: " + e.getMessage(), e);
      }
    }
  }
}
