package io.marvel.faas.client;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.settings.FaasSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Refuses at submission a job whose state store keeps its state on the client's host
 * ({@code pmem}) while its activations run on an OpenWhisk that is not on this host: the client
 * prepares the job's PMEM dir here, and containers on other hosts would not find it. Where the
 * client cannot know (an OpenWhisk on this host whose invokers may still sit elsewhere, the
 * embedded platform), the task that finds no state on its host fails the job with the same fix.
 */
final class PmemStoreReach {
  private PmemStoreReach() {
  }

  /**
   * @param jobId the job, for the message
   * @param settings the job's settings
   * @throws IOException naming the store, the endpoint and the fix, if the job cannot work
   */
  static void check(String jobId, FaasSettings settings) throws IOException {
    if (!settings.store().keepsStateOnOneHost() || settings.activationsRunHere()) {
      return;
    }
    String host = hostOf(settings.apiHost());
    if (host.isEmpty() || isThisHost(host)) {
      return;
    }
    throw new IOException("job " + jobId + " not submitted: " + FaasConfigKeys.STATE_STORE_KEY
        + "=pmem keeps the job's map outputs in the PMEM dir " + settings.store().pmemDir()
        + " of the host that runs the client, but its activations run on the OpenWhisk at "
        + settings.apiHost() + ", on other hosts, which cannot read it. Set "
        + FaasConfigKeys.STATE_STORE_KEY + "=hdfs: map outputs then live as HDFS files in PMEM on"
        + " the PMEM DataNodes (" + FaasConfigKeys.STATE_HDFS_STORAGE_POLICY_KEY
        + "=ALL_NVDIMM, the default), which every host reads; or run the client on the host"
        + " of a one-host OpenWhisk");
  }

  /** @return the host part of an OpenWhisk API host (a URL or a bare host[:port]) */
  static String hostOf(String apiHost) {
    String withScheme = apiHost.contains("://") ? apiHost : "https://" + apiHost;
    try {
      String host = URI.create(withScheme).getHost();
      return host == null ? "" : host;
    } catch (IllegalArgumentException e) {
      // The launcher reports a malformed endpoint with its own message.
      return "";
    }
  }

  /**
   * @return true if the host resolves to a loopback address or one of this machine's, or
   *     cannot be resolved here (the client cannot tell, so the task-side check decides)
   */
  static boolean isThisHost(String host) {
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()
            || NetworkInterface.getByInetAddress(address) != null) {
          return true;
        }
      }
      return false;
    } catch (UnknownHostException | SocketException e) {
      return true;
    }
  }
}
