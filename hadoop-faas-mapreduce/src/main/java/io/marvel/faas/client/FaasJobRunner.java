package io.marvel.faas.client;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.UnknownKeys;
import io.marvel.faas.protocol.CommitGates;
import io.marvel.faas.protocol.ProgressFiles;
import io.marvel.faas.protocol.StoreLocation;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.state.StateStore;
import io.marvel.faas.state.StateStores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.ipc.ProtocolSignature;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.ClusterMetrics;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.QueueAclsInfo;
import org.apache.hadoop.mapreduce.QueueInfo;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;
import org.apache.hadoop.mapreduce.TaskReport;
import org.apache.hadoop.mapreduce.TaskTrackerInfo;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.protocol.ClientProtocol;
import org.apache.hadoop.mapreduce.security.token.delegation.DelegationTokenIdentifier;
import org.apache.hadoop.mapreduce.split.JobSplit.TaskSplitMetaInfo;
import org.apache.hadoop.mapreduce.split.SplitMetaInfoReader;
import org.apache.hadoop.mapreduce.v2.LogParams;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.authorize.AccessControlList;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.mapreduce.Cluster.JobTrackerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The faas framework behind Hadoop's {@link ClientProtocol}: {@code submitJob} checks
 * everything that can be checked before any activation (settings, platform, state store, job
 * classes) and then hands the job to a {@link FaasJob} coordinator thread; the other calls
 * report status, counters, task reports and events from the job's {@link JobProgress}. Jobs
 * of other processes of this host and user (another terminal's {@code hadoop jar}) are answered
 * from the {@link JobRegistry} their coordinators publish to, through {@link RemoteJobs}.
 * Thread-safe.
 */
final class FaasJobRunner implements ClientProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(FaasJobRunner.class);
  private static final AtomicInteger JOB_COUNTER = new AtomicInteger();
  private static final String CLUSTER_ID = "faas" + ThreadLocalRandom.current()
      .nextInt(1, Integer.MAX_VALUE);

  /**
   * Jobs running in this JVM, whichever runner submitted them: the coordinator lives in the
   * submitting JVM, and this lets any client there ({@code mapred job -kill-task} run through
   * {@code ToolRunner}, a second {@code Cluster}) reach a running job. Ended jobs are dropped at
   * the next submission.
   */
  private static final Map<JobID, FaasJob> RUNNING_IN_JVM = new ConcurrentHashMap<>();

  private final Configuration conf;
  private final Map<JobID, FaasJob> jobs = new ConcurrentHashMap<>();
  private final LauncherFactory launchers;

  /** Creates launchers for validated settings. */
  @FunctionalInterface
  interface LauncherFactory {
    TaskLauncher create(FaasSettings settings) throws IOException;
  }

  FaasJobRunner(Configuration conf, LauncherFactory launchers) {
    this.conf = conf;
    this.launchers = launchers;
  }

  @Override
  public JobID getNewJobID() {
    return new JobID(CLUSTER_ID, JOB_COUNTER.incrementAndGet());
  }

  @Override
  public JobStatus submitJob(JobID jobId, String jobSubmitDir, Credentials ts)
      throws IOException, InterruptedException {
    Path submitDir = new Path(jobSubmitDir);
    FileSystem fs = submitDir.getFileSystem(conf);
    JobConf job = readJobConf(fs, new Path(submitDir, MRJobConfig.JOB_CONF_FILE));
    if (job.getUser() == null) {
      job.setUser(UserGroupInformation.getCurrentUser().getShortUserName());
    }
    KerberosRefusal.check(jobId.toString(), job);
    FaasSettings settings;
    try {
      settings = FaasSettings.from(job);
    } catch (IllegalArgumentException e) {
      throw new IOException("job " + jobId + " not submitted: " + e.getMessage(), e);
    }
    for (String unknown : UnknownKeys.describe(job, FaasConfigKeys.PREFIX,
        FaasConfigKeys.DEFAULT_RESOURCE)) {
      LOG.warn("job {}: {}", jobId, unknown);
    }
    StagingArea.checkReachable(jobId, submitDir, fs, settings, job);
    job.setClassLoader(JobClassCheck.loaderFor(job, fs, submitDir));
    JobClassCheck.check(jobId.toString(), job);
    TaskLauncher launcher = launchers.create(settings);
    StateStore store = null;
    try {
      launcher.prepare();
      store = StateStores.forJob(storeLocation(settings, job), jobId.toString(), job);
      store.prepare();
      for (String stale : store.sweepStale(settings.stateTtlMs())) {
        LOG.info("Removed the state job {} left in {} (untouched for over {} ms)", stale,
            store.location(), settings.stateTtlMs());
      }
      OrphanSweep.sweep(JobRegistry.of(settings), store.location(), job);
      CredentialsFile.write(fs, new Path(submitDir, TaskArguments.CREDENTIALS_FILE), ts);
      CommitGates gates = new CommitGates(fs, submitDir);
      gates.prepare();
      ProgressFiles progressFiles = new ProgressFiles(fs, submitDir);
      progressFiles.prepare();
      TaskSplitMetaInfo[] splits = SplitMetaInfoReader.readSplitMetaInfo(jobId, fs, job,
          submitDir);
      JobProgress progress = new JobProgress(jobId, job.getUser(), job.getJobName(),
          localJobFile(settings, jobId, job, submitDir), splits.length,
          job.getNumReduceTasks(), new JobCounters(settings.memoryMb(), settings.vcores()));
      FaasJob faasJob = new FaasJob(jobId, job, submitDir, splits, store, launcher, settings,
          progress, gates, progressFiles);
      jobs.put(jobId, faasJob);
      RUNNING_IN_JVM.values().removeIf(j -> j.progress().state() != JobStatus.State.RUNNING);
      RUNNING_IN_JVM.put(jobId, faasJob);
      ClientShutdown.register(() -> List.copyOf(RUNNING_IN_JVM.values()));
      faasJob.start();
      LOG.info("Submitted job {}: {} maps, {} reduces, state store {}, launcher {}", jobId,
          splits.length, job.getNumReduceTasks(), store.location(), settings.launcher());
      return progress.status(trackingUrl(settings, jobId));
    } catch (IOException | RuntimeException e) {
      if (store != null) {
        store.removeJob();
      }
      launcher.jobEnded(jobId.toString());
      launcher.close();
      throw e;
    }
  }

  /**
   * Reads job.xml from the staging file system. {@code new JobConf(Path)} would look for the
   * path on the local file system, so the properties are parsed here and set explicitly.
   */
  private static JobConf readJobConf(FileSystem fs, Path file) throws IOException {
    byte[] xml;
    try (InputStream in = fs.open(file)) {
      xml = in.readAllBytes();
    }
    Configuration parsed = new Configuration(false);
    parsed.addResource(new ByteArrayInputStream(xml), file.toString());
    JobConf job = new JobConf();
    for (Map.Entry<String, String> property : parsed) {
      job.set(property.getKey(), property.getValue());
    }
    return job;
  }

  /**
   * Writes the job's configuration next to its summary, as the history server keeps
   * {@code <jobId>_conf.xml}, and returns it as the job file of the job's status: Hadoop's
   * {@code Cluster.getJob}, behind {@code mapred job -kill-task} and the like, parses that file
   * as a local one. Falls back to job.xml in the staging dir if the summary dir is not writable.
   */
  private static String localJobFile(FaasSettings settings, JobID jobId, JobConf job,
      Path submitDir) {
    JobRegistry registry = JobRegistry.of(settings);
    try {
      return registry.writeJobConf(jobId.toString(), job).toUri().toString();
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn("Could not write the configuration of job {} to {}; clients of other Cluster"
          + " instances will not find the job", jobId, registry.jobConfFile(jobId.toString()),
          e);
      return new Path(submitDir, MRJobConfig.JOB_CONF_FILE).toString();
    }
  }

  private StoreLocation storeLocation(FaasSettings settings, Configuration job)
      throws IOException {
    return switch (settings.store()) {
      case PMEM -> new StoreLocation(settings.store(), settings.pmemDir());
      case HDFS -> {
        // The shared staging area even when this client stages locally: the hdfs store is for
        // activations on many hosts.
        Path root = settings.hdfsDir().isEmpty()
            ? new Path(StagingArea.shared(job, UserGroupInformation.getCurrentUser()
                .getShortUserName()), "faas-state")
            : new Path(settings.hdfsDir());
        yield new StoreLocation(settings.store(),
            root.getFileSystem(job).makeQualified(root).toString());
      }
    };
  }

  static String trackingUrl(FaasSettings settings, JobID jobId) {
    return "file://" + settings.summaryDir() + "/" + jobId + "-timeline.html";
  }

  /** @return the job if this runner submitted it or it runs in this JVM, else null */
  private FaasJob find(JobID jobId) {
    // Ids parsed from strings (mapred job -kill-task) are of the old API's class, which never
    // equals the new API's; the maps are keyed by the new API's.
    JobID key = new JobID(jobId.getJtIdentifier(), jobId.getId());
    FaasJob job = jobs.get(key);
    return job != null ? job : RUNNING_IN_JVM.get(key);
  }

  /** @return the jobs of other processes of this host, from the job registry */
  private RemoteJobs remote() {
    return new RemoteJobs(JobRegistry.of(FaasSettings.from(conf)), RemoteJobs.KILL_WAIT_MS);
  }

  @Override
  public JobStatus getJobStatus(JobID jobId) throws IOException {
    FaasJob job = find(jobId);
    if (job == null) {
      return remote().find(jobId).map(JobSnapshot::status).orElse(null);
    }
    return job.progress().status(trackingUrl(FaasSettings.from(conf), jobId));
  }

  @Override
  public Counters getJobCounters(JobID jobId) throws IOException {
    FaasJob job = find(jobId);
    return job == null ? remote().counters(jobId) : job.progress().counters();
  }

  @Override
  public TaskReport[] getTaskReports(JobID jobId, TaskType type) throws IOException {
    FaasJob job = find(jobId);
    return job == null ? remote().reports(jobId, type) : job.progress().reports(type);
  }

  @Override
  public TaskCompletionEvent[] getTaskCompletionEvents(JobID jobId, int fromEventId,
      int maxEvents) throws IOException {
    FaasJob job = find(jobId);
    return job == null ? remote().events(jobId, fromEventId, maxEvents)
        : job.progress().events(fromEventId, maxEvents);
  }

  @Override
  public String[] getTaskDiagnostics(TaskAttemptID taskId) throws IOException {
    FaasJob job = find(taskId.getJobID());
    return job == null ? remote().diagnostics(taskId.getJobID(), taskId.toString())
        : job.progress().diagnostics(taskId.toString());
  }

  /**
   * Kills a job. A job of another process of this host is killed by its coordinator, at a
   * request through the job registry; this call then waits until the job has ended.
   *
   * @throws IOException if the job is unknown, or the job of another process did not end
   *     within {@link RemoteJobs#KILL_WAIT_MS}
   */
  @Override
  public void killJob(JobID jobId) throws IOException {
    FaasJob job = find(jobId);
    if (job == null) {
      remote().kill(jobId);
    } else {
      job.kill();
    }
  }

  /**
   * Kills ({@code shouldFail=false}) or fails a running task attempt: the attempt is abandoned
   * and never commits, and its task gets a new attempt at once; a killed attempt does not count
   * toward the task's maximum attempts, a failed one does. An attempt of another process's job
   * is ended by that job's coordinator, asked through the registry.
   *
   * @return false, logged with the reason, if the attempt is not running
   * @throws IOException if another process's job is not registered or cannot be asked
   */
  @Override
  public boolean killTask(TaskAttemptID taskId, boolean shouldFail) throws IOException {
    FaasJob job = find(taskId.getJobID());
    return job == null ? remote().endAttempt(taskId, shouldFail)
        : job.abandon(taskId, shouldFail);
  }

  @Override
  public void setJobPriority(JobID jobId, String priority) {
    LOG.info("Job priority {} of {} ignored: the faas framework schedules jobs independently",
        priority, jobId);
  }

  /**
   * @return the jobs of the job registry, those of other processes of this host included,
   *     running or ended, and the jobs of this process, in job id order
   * @throws IOException if the registry cannot be listed
   */
  @Override
  public JobStatus[] getAllJobs() throws IOException {
    Map<String, JobStatus> all = new TreeMap<>();
    for (JobStatus status : remote().statuses()) {
      all.put(status.getJobID().toString(), status);
    }
    // This process's view of its own jobs is the live one, not the last published.
    FaasSettings settings = FaasSettings.from(conf);
    Map<JobID, FaasJob> here = new HashMap<>(RUNNING_IN_JVM);
    here.putAll(jobs);
    here.forEach((id, job) -> all.put(id.toString(),
        job.progress().status(trackingUrl(settings, id))));
    return all.values().toArray(new JobStatus[0]);
  }

  @Override
  public ClusterMetrics getClusterMetrics() {
    int slots = FaasSettings.from(conf).maxConcurrency();
    return new ClusterMetrics(0, 0, 0, 0, 0, 0, slots, slots, jobs.size(), 1, 0, 0);
  }

  @Override
  public JobTrackerStatus getJobTrackerStatus() {
    return JobTrackerStatus.RUNNING;
  }

  @Override
  public long getTaskTrackerExpiryInterval() {
    return 0;
  }

  @Override
  public AccessControlList getQueueAdmins(String queueName) {
    return new AccessControlList(" ");
  }

  @Override
  public String getFilesystemName() throws IOException {
    return FileSystem.get(conf).getUri().toString();
  }

  @Override
  public TaskTrackerInfo[] getActiveTrackers() {
    return new TaskTrackerInfo[0];
  }

  @Override
  public TaskTrackerInfo[] getBlacklistedTrackers() {
    return new TaskTrackerInfo[0];
  }

  @Override
  public String getSystemDir() throws IOException {
    return new Path(getStagingAreaDir()).getParent().toString();
  }

  @Override
  public String getStagingAreaDir() throws IOException {
    return StagingArea.of(conf, UserGroupInformation.getCurrentUser().getShortUserName())
        .toString();
  }

  @Override
  public String getJobHistoryDir() {
    return FaasSettings.from(conf).summaryDir();
  }

  @Override
  public QueueInfo[] getQueues() {
    return new QueueInfo[0];
  }

  @Override
  public QueueInfo getQueue(String queueName) {
    return null;
  }

  @Override
  public QueueAclsInfo[] getQueueAclsForCurrentUser() {
    return new QueueAclsInfo[0];
  }

  @Override
  public QueueInfo[] getRootQueues() {
    return new QueueInfo[0];
  }

  @Override
  public QueueInfo[] getChildQueues(String queueName) {
    return new QueueInfo[0];
  }

  @Override
  public Token<DelegationTokenIdentifier> getDelegationToken(Text renewer) {
    return null;
  }

  @Override
  public long renewDelegationToken(Token<DelegationTokenIdentifier> token) {
    return 0;
  }

  @Override
  public void cancelDelegationToken(Token<DelegationTokenIdentifier> token) {
    // No delegation tokens are issued by this framework, so there is nothing to cancel.
  }

  /**
   * Answers {@code mapred job -logs}, whose caller reads YARN's aggregated logs with what this
   * returns. A faas job's task logs are plain files instead, so this always throws, naming them;
   * the CLI prints the message.
   *
   * @throws IOException naming the job's log file or dir
   */
  @Override
  public LogParams getLogFileParams(JobID jobId, TaskAttemptID taskAttemptId)
      throws IOException {
    JobRegistry registry = JobRegistry.of(FaasSettings.from(conf));
    String files = "faas keeps task logs as files, not in YARN's log aggregation: ";
    java.nio.file.Path wanted = taskAttemptId == null ? registry.taskLogDir(jobId.toString())
        : registry.taskLogFile(jobId.toString(), taskAttemptId.toString());
    if (!java.nio.file.Files.exists(wanted)) {
      throw new IOException(files + "there is no " + wanted + ". Activations of the in-jvm"
          + " launcher log where the client logs; attempts that never started have none; a"
          + " job's files are removed mapreduce.faas.summary.max-age-ms after it ended");
    }
    throw new IOException(files + (taskAttemptId == null ? "the logs of " + jobId + " are in "
        + wanted + ", one <attemptId>.log per task attempt"
        : "the log of " + taskAttemptId + " is " + wanted));
  }

  @Override
  public long getProtocolVersion(String protocol, long clientVersion) {
    return ClientProtocol.versionID;
  }

  @Override
  public ProtocolSignature getProtocolSignature(String protocol, long clientVersion,
      int clientMethodsHash) throws IOException {
    return ProtocolSignature.getProtocolSignature(this, protocol, clientVersion,
        clientMethodsHash);
  }
}
