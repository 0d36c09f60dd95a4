package io.marvel.faas.task;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.protocol.CommitGates;
import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.protocol.ProgressFiles;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.protocol.TaskHost;
import io.marvel.faas.protocol.TaskKind;
import io.marvel.faas.protocol.TaskResult;
import io.marvel.faas.state.PartitionRange;
import io.marvel.faas.state.StateStore;
import io.marvel.faas.state.StateStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.mapred.Counters;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.MapOutputFile;
import org.apache.hadoop.mapred.MapTask;
import org.apache.hadoop.mapred.ReduceTask;
import org.apache.hadoop.mapred.ShuffleConsumerPlugin;
import org.apache.hadoop.mapred.SpillRecord;
import org.apache.hadoop.mapred.Task;
import org.apache.hadoop.mapred.TaskAttemptID;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.split.JobSplit.TaskSplitIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task attempt inside a container: takes the job from the container's cache, links
 * the job's cache entries into the working directory for the attempt ({@link AttemptWorkingDir}),
 * runs Hadoop's own {@link MapTask} or {@link ReduceTask} with a {@link LocalUmbilical},
 * publishes a map's output to the state store (durable before this returns), and reports the
 * outcome with the task's counters. Thread-safe; each call uses its own scratch directory.
 */
final class TaskAttemptRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskAttemptRunner.class);
  /** Read by Hadoop's Task only; no constant of Hadoop names it. */
  private static final String UBERIZED_KEY = "mapreduce.task.uberized";
  private static final StateFault NO_STATE_FAULT = new StateFault(-1, false);

  private final String containerId;
  private final JobCache cache;
  private final AttemptWorkingDir links;
  private final Path scratchRoot;
  private final String host = TaskHost.name();

  TaskAttemptRunner(String containerId, JobCache cache, AttemptWorkingDir links,
      Path scratchRoot) {
    this.containerId = containerId;
    this.cache = cache;
    this.links = links;
    this.scratchRoot = scratchRoot;
  }

  /**
   * @param args the attempt to run
   * @param coldContainer true if this is the first activation of this container
   * @return its result; a failing task yields an unsuccessful result, never an exception
   */
  TaskResult run(TaskArguments args, boolean coldContainer) {
    long start = System.currentTimeMillis();
    Counters counters = new Counters();
    boolean warm = false;
    StateStore store = null;
    Path scratch = null;
    try {
      JobCache.Lookup lookup = cache.acquire(args);
      warm = lookup.hit();
      counters.findCounter(warm ? FaasCounter.JOB_CACHE_HITS : FaasCounter.JOB_CACHE_MISSES)
          .increment(1);
      store = openStore(args, lookup.job());
      scratch = store.attemptScratchDir(args.attemptId())
          .orElse(scratchRoot.resolve(args.jobId()).resolve(args.attemptId()));
      Files.createDirectories(scratch);
      try (AttemptWorkingDir.Lease lease = links.acquire(args.jobId(), lookup.job().links())) {
        counters.incrAllCounters(runTask(args, lookup.job(), scratch, store));
      }
      return result(args, true, "", counters, warm, coldContainer, start, NO_STATE_FAULT);
    } catch (AttemptCommit.AbandonedException e) {
      // The coordinator ignores this result; the attempt only ends as it was told to.
      LOG.info("{}", e.getMessage());
      return result(args, false, e.getMessage(), counters, warm, coldContainer, start,
          NO_STATE_FAULT);
    } catch (Throwable t) {
      LOG.error("Task attempt {} of job {} failed in container {} on host {}", args.attemptId(),
          args.jobId(), containerId, host, t);
      String diagnostics = (store == null ? Optional.<String>empty() : store.explainFailure(t))
          .map(hint -> hint + "\n").orElse("") + stackTrace(t);
      StateFault fault = store == null ? NO_STATE_FAULT
          : new StateFault(store.lostMapOutput(t).orElse(-1), store.failsJob(t));
      return result(args, false, diagnostics, counters, warm, coldContainer, start, fault);
    } finally {
      try {
        if (scratch != null) {
          CachedJob.deleteTree(scratch);
        }
      } catch (IOException e) {
        LOG.warn("Could not remove scratch dir {} of {}", scratch, args.attemptId(), e);
      }
      closeQuietly(store, args);
    }
  }

  /** Opened as the job's user, as the store's file system is then that user's. */
  private static StateStore openStore(TaskArguments args, CachedJob job) throws Exception {
    JobConf conf = job.taskConf();
    return job.ugi().doAs((PrivilegedExceptionAction<StateStore>) () ->
        StateStores.forJob(args.store(), args.jobId(), conf));
  }

  private static void closeQuietly(StateStore store, TaskArguments args) {
    if (store == null) {
      return;
    }
    try {
      store.close();
    } catch (IOException e) {
      LOG.warn("Could not close the state store of {}", args.attemptId(), e);
    }
  }

  private Counters runTask(TaskArguments args, CachedJob job, Path scratch, StateStore store)
      throws Exception {
    JobConf conf = job.taskConf();
    conf.set(MRConfig.LOCAL_DIR, scratch.toString());
    conf.set(MRConfig.FRAMEWORK_NAME, "faas");
    conf.setInt(MRJobConfig.NUM_MAPS, args.numMaps());
    conf.setClass(MRConfig.SHUFFLE_CONSUMER_PLUGIN, StoreShuffle.class,
        ShuffleConsumerPlugin.class);
    StateStores.handToTask(args.store(), conf);
    TaskAttemptID attempt = TaskAttemptID.forName(args.attemptId());
    String jobFile = job.localJobFile().toString();
    Task task = args.kind() == TaskKind.MAP
        ? new MapTask(jobFile, attempt, args.partition(),
            new TaskSplitIndex(args.splitLocation(), args.splitOffset()), 1)
        : new ReduceTask(jobFile, attempt, args.partition(), args.numMaps(), 1);
    conf.setUser(args.user());
    // The attempt shares a long-lived JVM, as an uberized task shares its application
    // master's: Hadoop's reporter thread then ends when the umbilical no longer knows the
    // attempt, instead of exiting the JVM.
    conf.setBoolean(UBERIZED_KEY, true);
    if (conf.get(MRJobConfig.TASK_PROGRESS_REPORT_INTERVAL) == null) {
      // Hadoop's default is 1% of the task timeout (6 s); the job's progress should move.
      conf.setLong(MRJobConfig.TASK_PROGRESS_REPORT_INTERVAL, progressIntervalMs(conf));
    }
    task.localizeConfiguration(conf);
    task.setConf(conf);
    PrivilegedExceptionAction<Counters> body = () -> {
      org.apache.hadoop.fs.Path submitDir = new org.apache.hadoop.fs.Path(args.jobSubmitDir());
      FileSystem stagingFs = submitDir.getFileSystem(conf);
      AttemptCommit commit = new AttemptCommit(new CommitGates(stagingFs, submitDir),
          args.attemptId());
      Thread thread = Thread.currentThread();
      ProgressReporter progress = new ProgressReporter(new ProgressFiles(stagingFs, submitDir),
          args.attemptId(), progressIntervalMs(conf), System::currentTimeMillis);
      LocalUmbilical umbilical = new LocalUmbilical(args.attemptId(), commit, thread,
          progress);
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(job.loader());
      try {
        task.run(conf, umbilical.protocol());
        if (!umbilical.isDone()) {
          throw new IOException("task attempt " + args.attemptId() + " returned without"
              + " reporting done; diagnostics: " + umbilical.diagnostics());
        }
        Counters result = umbilical.counters();
        if (args.kind() == TaskKind.MAP && args.numReduces() > 0) {
          // Publishing is a map's commit: an abandoned attempt must not replace the output of
          // the attempt that took over.
          commit.claim();
          long stored = publish(args, conf, task.getMapOutputFile(), store);
          result.findCounter(FaasCounter.STORE_MAP_OUTPUT_BYTES).increment(stored);
        }
        return result;
      } catch (Exception e) {
        if (umbilical.stoppedAsAbandoned()) {
          throw new AttemptCommit.AbandonedException("task attempt " + args.attemptId()
              + " was stopped: it was abandoned or its job ended (" + e + ")", e);
        }
        throw e;
      } finally {
        umbilical.end();
        // The container's thread serves the next activation: no interrupt may carry over.
        Thread.interrupted();
        thread.setContextClassLoader(previous);
      }
    };
    return job.ugi().doAs(body);
  }

  /** The client validated the setting; a task only keeps it sane. */
  private static long progressIntervalMs(JobConf conf) {
    return Math.max(100, conf.getLong(FaasConfigKeys.TASK_PROGRESS_INTERVAL_MS_KEY,
        FaasConfigKeys.TASK_PROGRESS_INTERVAL_MS_DEFAULT));
  }

  private static long publish(TaskArguments args, JobConf conf, MapOutputFile output,
      StateStore store) throws IOException {
    SpillRecord index = new SpillRecord(output.getOutputIndexFile(), conf);
    List<PartitionRange> ranges = new ArrayList<>(index.size());
    for (int p = 0; p < index.size(); p++) {
      ranges.add(new PartitionRange(index.getIndex(p).startOffset,
          index.getIndex(p).rawLength, index.getIndex(p).partLength));
    }
    Path data = Paths.get(output.getOutputFile().toUri().getPath());
    return store.publishMapOutput(args.partition(), data, ranges);
  }

  /** What a failure means for the job's state: a map output to make again, or the job's end. */
  private record StateFault(int lostMapOutput, boolean failsJob) {
  }

  private TaskResult result(TaskArguments args, boolean succeeded, String diagnostics,
      Counters counters, boolean warm, boolean coldContainer, long start, StateFault fault) {
    Map<String, Map<String, Long>> values = new TreeMap<>();
    for (Counters.Group group : counters) {
      Map<String, Long> members = new TreeMap<>();
      for (Counters.Counter counter : group) {
        members.put(counter.getName(), counter.getValue());
      }
      values.put(group.getName(), members);
    }
    return new TaskResult(args.attemptId(), succeeded, diagnostics, values, containerId, warm,
        coldContainer, start, System.currentTimeMillis(), host, fault.lostMapOutput(),
        fault.failsJob());
  }

  private static String stackTrace(Throwable t) {
    StringWriter text = new StringWriter();
    t.printStackTrace(new PrintWriter(text));
    return text.toString();
  }
}
