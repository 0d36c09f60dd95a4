package io.marvel.faas.client;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.settings.FaasSettings;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.v2.util.MRApps;

/**
 * Where a user's jobs are staged: the JobSubmitter's job.jar, job.xml and splits, and the
 * framework's credentials file and commit gates. A job whose activations all run on this host
 * as this user, with its state in PMEM (a directory of this host too), is staged on the local
 * file system, as LocalJobRunner stages: on HDFS the close of each small staging file often
 * waits 400 ms for the DataNode's report to reach the NameNode, which is most of a small job's
 * time. Any other job is staged where YARN stages, on the default file system, which every
 * host reaches.
 */
final class StagingArea {
  private static final String LOCAL_ROOT = "faas-staging";

  private StagingArea() {
  }

  /**
   * @param conf the client configuration
   * @param user the submitting user's short name
   * @return the user's staging dir, qualified
   * @throws IOException if the file system cannot be reached, or a faas setting is invalid
   *     (naming it, whatever it is: this is the first faas call of a job's submission)
   */
  static Path of(Configuration conf, String user) throws IOException {
    FaasSettings settings;
    try {
      settings = FaasSettings.from(conf);
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid faas setting: " + e.getMessage(), e);
    }
    if (conf.getBoolean(FaasConfigKeys.STAGING_LOCAL_KEY, FaasConfigKeys.STAGING_LOCAL_DEFAULT)
        && settings.activationsRunHere() && settings.store().keepsStateOnOneHost()) {
      Path dir = new Path(conf.get("hadoop.tmp.dir"), LOCAL_ROOT + "/" + user + "/.staging");
      return FileSystem.getLocal(conf).makeQualified(dir);
    }
    return shared(conf, user);
  }

  /**
   * Refuses a job staged on this host's local file system whose activations run elsewhere: the
   * staging dir was chosen from the client's configuration, the activations from the job's, and
   * a driver can make the two differ.
   *
   * @throws IOException naming the staging dir, the endpoint and the fix
   */
  static void checkReachable(JobID jobId, Path submitDir, FileSystem fs, FaasSettings settings,
      Configuration job) throws IOException {
    boolean stagedLocally = "file".equals(fs.getScheme());
    boolean everythingLocal = "file".equals(FileSystem.getDefaultUri(job).getScheme());
    if (stagedLocally && !everythingLocal && !settings.activationsRunHere()) {
      throw new IOException("job " + jobId + " not submitted: it is staged in " + submitDir
          + " on this host's local file system, but its activations run at "
          + settings.apiHost() + ", which cannot read it; give the client the job's OpenWhisk"
          + " settings, or set " + FaasConfigKeys.STAGING_LOCAL_KEY + "=false, in the"
          + " configuration the client (Cluster) is created with");
    }
  }

  /** @return YARN's staging dir of the user on the default file system, qualified */
  static Path shared(Configuration conf, String user) throws IOException {
    Path dir = MRApps.getStagingAreaDir(conf, user);
    return dir.getFileSystem(conf).makeQualified(dir);
  }
}
