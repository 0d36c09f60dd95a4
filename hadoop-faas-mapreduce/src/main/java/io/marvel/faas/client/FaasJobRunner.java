package io.marvel.faas.client;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.UnknownKeys;
import io.marvel.faas.coordinator.FaasJob;
import io.marvel.faas.coordinator.JobCounters;
import io.marvel.faas.coordinator.JobProgress;
import io.marvel.faas.coordinator.JobSummary;
import io.marvel.faas.launcher.Launchers;
import io.marvel.faas.launcher.SortBufferFit;
import io.marvel.faas.launcher.TaskLauncher;
import io.marvel.faas.protocol.CommitGates;
import io.marvel.faas.protocol.ProgressFiles;
import io.marvel.faas.protocol.TaskArguments;
import io.marvel.faas.registry.JobRegistry;
import io.marvel.faas.registry.OrphanSweep;
import io.marvel.faas.registry.RemoteJobs;
import io.marvel.faas.settings.FaasSettings;
import io.marvel.faas.state.StateStore;
import io.marvel.faas.state.StateStores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
 * classes) and then hands the job to a {@link FaasJob} coordinator thread, which it adds to
 * this JVM's {@link FaasClientJvm}. Every other call about a job asks one {@link JobView}: live
 * when the job's coordinator runs in this JVM, recorded (the {@link JobRegistry}, through
 * {@link RemoteJobs}) for jobs of other processes of this host and user (another terminal's
 * {@code hadoop jar}). Thread-safe.
 *
 * <p>Over 400 lines because Hadoop's {@code ClientProtocol} has some forty methods; half of them
 * (queues, trackers, delegation tokens) are one-line answers that a faas job has none of.
 */
final class FaasJobRunner implements ClientProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(FaasJobRunner.class);

  private final Configuration conf;
  private final FaasClientJvm jvm;
  /**
   * The jobs this runner submitted, kept after they end (the JVM's list drops ended jobs) so
   * that their client sees their final live state.
   */
  private final Map<JobID, FaasJob> submitted = new ConcurrentHashMap<>();
  /** Warm-ups of jobs that have their id and are not submitted yet. */
  private final Map<JobID, JobPrewarm> prewarms = new ConcurrentHashMap<>();
  /** The client configuration's settings, parsed at the first call that needs them. */
  private volatile FaasSettings clientSettings;

  /**
   * @param conf the client's configuration
   * @param jvm this JVM's live jobs, job ids and embedded platform
   */
  FaasJobRunner(Configuration conf, FaasClientJvm jvm) {
    this.conf = conf;
    this.jvm = jvm;
  }

  /** @throws IllegalArgumentException naming an invalid setting of the client configuration */
  private FaasSettings settings() {
    FaasSettings parsed = clientSettings;
    if (parsed == null) {
      parsed = FaasSettings.from(conf);
      clientSettings = parsed;
    }
    return parsed;
  }

  /**
   * Gives the job its id and, unless switched off, starts the containers of its first wave
   * while the client stages it ({@link JobPrewarm}).
   */
  @Override
  public JobID getNewJobID() {
    JobID jobId = jvm.newJobId();
    JobPrewarm.start(jobId, conf, jvm.platform())
        .ifPresent(prewarm -> prewarms.put(FaasClientJvm.key(jobId), prewarm));
    return jobId;
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
    PmemStoreReach.check(jobId.toString(), settings);
    job.setClassLoader(JobClassCheck.loaderFor(job, fs, submitDir));
    JobClassCheck.check(jobId.toString(), job);
    if (settings.launcher() == FaasSettings.Launcher.OPENWHISK) {
      SortBufferFit.check(jobId.toString(), job, settings.memoryMb());
    }
    TaskLauncher launcher = Launchers.create(settings, jvm.platform());
    JobPrewarm prewarm = prewarms.remove(FaasClientJvm.key(jobId));
    if (prewarm != null) {
      launcher = prewarm.wrap(launcher);
    }
    StateStore store = null;
    try {
      launcher.prepare();
      store = StateStores.forJob(settings.store().location(job,
          UserGroupInformation.getCurrentUser().getShortUserName()), jobId.toString(), job);
      store.prepare();
      for (String stale : store.sweepStale(settings.stateTtlMs())) {
        LOG.info("Removed the state job {} left in {} (untouched for over {} ms)", stale,
            store.location(), settings.stateTtlMs());
      }
      JobRegistry registry = JobRegistry.of(settings);
      for (String dead : OrphanSweep.sweep(registry, store.location(), job)) {
        DeadJobLeftovers.remove(dead, registry);
      }
      CredentialsFile.write(fs, new Path(submitDir, TaskArguments.CREDENTIALS_FILE), ts,
          jvm.credentialsCloser());
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
      submitted.put(FaasClientJvm.key(jobId), faasJob);
      jvm.add(jobId, faasJob);
      faasJob.start();
      LOG.info("Submitted job {}: {} maps, {} reduces, state store {}, launcher {}", jobId,
          splits.length, job.getNumReduceTasks(), store.location(), settings.launcher());
      return progress.status(JobSummary.trackingUrl(settings, jobId));
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

  /**
   * @param jobId a job id, of either API's class
   * @return the job live if this runner submitted it or its coordinator runs in this JVM, else
   *     as the job registry records it
   */
  private JobView view(JobID jobId) {
    FaasJob job = submitted.get(FaasClientJvm.key(jobId));
    if (job == null) {
      job = jvm.job(jobId).orElse(null);
    }
    return job != null
        ? new LiveJobView(job, () -> JobSummary.trackingUrl(settings(), jobId))
        : new RecordedJobView(remote(), jobId);
  }

  /** @return the jobs of other processes of this host, from the job registry */
  private RemoteJobs remote() {
    return new RemoteJobs(JobRegistry.of(settings()), RemoteJobs.KILL_WAIT_MS);
  }

  @Override
  public JobStatus getJobStatus(JobID jobId) throws IOException {
    return view(jobId).status();
  }

  @Override
  public Counters getJobCounters(JobID jobId) throws IOException {
    return view(jobId).counters();
  }

  @Override
  public TaskReport[] getTaskReports(JobID jobId, TaskType type) throws IOException {
    return view(jobId).reports(type);
  }

  @Override
  public TaskCompletionEvent[] getTaskCompletionEvents(JobID jobId, int fromEventId,
      int maxEvents) throws IOException {
    return view(jobId).events(fromEventId, maxEvents);
  }

  @Override
  public String[] getTaskDiagnostics(TaskAttemptID taskId) throws IOException {
    return view(taskId.getJobID()).diagnostics(taskId.toString());
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
    view(jobId).kill();
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
    return view(taskId.getJobID()).endAttempt(taskId, shouldFail);
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
    Map<String, FaasJob> here = new HashMap<>();
    for (FaasJob job : jvm.jobs()) {
      here.put(job.id(), job);
    }
    submitted.values().forEach(job -> here.put(job.id(), job));
    here.forEach((id, job) -> all.put(id, job.progress().status(
        JobSummary.trackingUrl(settings(), JobID.forName(id)))));
    return all.values().toArray(new JobStatus[0]);
  }

  @Override
  public ClusterMetrics getClusterMetrics() {
    int slots = settings().maxConcurrency();
    return new ClusterMetrics(0, 0, 0, 0, 0, 0, slots, slots, submitted.size(), 1, 0, 0);
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
    return settings().summaryDir();
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
    JobRegistry registry = JobRegistry.of(settings());
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
