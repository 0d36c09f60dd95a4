package io.marvel.faas.state;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.protocol.TaskHost;
import java.io.FileNotFoundException;
import java.nio.file.Path;

/**
 * A {@code pmem} store's job dir is missing on the host of a task: the client prepared it on its
 * own host, and the task runs on another one (or the job has ended). Another attempt cannot do
 * better, so it fails the job, naming the store that works across hosts.
 */
final class StateNotOnHostException extends FileNotFoundException {
  private static final long serialVersionUID = 1L;

  StateNotOnHostException(Path jobDir, String jobId) {
    super("PMEM state dir " + jobDir + " of job " + jobId + " is not on host " + TaskHost.name()
        + ", where this task runs: with " + FaasConfigKeys.STATE_STORE_KEY + "=pmem the client"
        + " prepares a job's state in the PMEM dir of its own host, and every task must run on"
        + " that host. For containers on several hosts set " + FaasConfigKeys.STATE_STORE_KEY
        + "=hdfs, which keeps map outputs in PMEM on the PMEM DataNodes ("
        + FaasConfigKeys.STATE_HDFS_STORAGE_POLICY_KEY + "=ALL_NVDIMM, the default). (The dir is"
        + " also gone once the job has ended.)");
  }
}
