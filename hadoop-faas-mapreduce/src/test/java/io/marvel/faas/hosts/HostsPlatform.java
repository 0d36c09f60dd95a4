package io.marvel.faas.hosts;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.hdfs.hosts.HostsUnavailableException;
import io.marvel.hdfs.hosts.SimulatedHost;
import io.marvel.hdfs.hosts.SimulatedHosts;
import io.marvel.whisk.client.WhiskClient;
import io.marvel.whisk.platform.EmbeddedWhisk;
import io.marvel.whisk.platform.container.Placement;
import io.marvel.whisk.platform.invoker.HostPlacement;
import io.marvel.whisk.platform.settings.PlatformSettings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.client.HdfsClientConfigKeys;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.Assumptions;

/**
 * What a faas job needs to run on hosts simulated on this machine: {@link SimulatedHosts} (per
 * host a network namespace, a PMEM dir and a PMEM DataNode; the NameNode on host 0) and an
 * embedded OpenWhisk whose invoker starts each container on one of the hosts (in its network
 * namespace, seeing its own host's PMEM dir at {@link #localPmemDir()}, its runtime listening
 * on the host's address), round-robin or at random with a seed. The controller runs in this JVM
 * on 127.0.0.1, which the job's client (this JVM) reaches; the containers never call it.
 *
 * <p>Tasks read HDFS short-circuit from their own host's DataNode: the legacy, path-based way
 * ({@code dfs.client.use.legacy.blockreader.local}), since this build has no libhadoop for a
 * domain socket ({@code dfs.domain.socket.path} would stop the DataNodes). The paths the
 * DataNode names lie under the local PMEM dir, which a client on host I sees as host I's, and
 * a client takes only a DataNode on an address of its own namespace for local. The run's client
 * site files ({@code SimulatedHosts.clientConfDir()}) come first on the containers' class path,
 * as a real task image has its HADOOP_CONF_DIR there.
 *
 * <p>{@link #close()} stops the platform (its containers), then the hosts (every process in
 * their namespaces, the namespaces, the run's directory, which holds the platform's data dir
 * too); a failed start undoes what it started. Not thread-safe.
 */
public final class HostsPlatform implements AutoCloseable {
  private final SimulatedHosts hosts;
  private final EmbeddedWhisk whisk;
  private final WhiskClient client;

  private HostsPlatform(SimulatedHosts hosts, EmbeddedWhisk whisk) throws IOException {
    this.hosts = hosts;
    this.whisk = whisk;
    this.client = WhiskClient.create(whisk.clientSettings());
  }

  /**
   * @param logDir where the logs of the NameNode and DataNodes go (kept after the run)
   * @return a builder of 3 hosts with round-robin placement
   */
  public static Builder builder(Path logDir) {
    return new Builder(logDir);
  }

  /** @return the hosts and their HDFS */
  public SimulatedHosts hosts() {
    return hosts;
  }

  /** @return the platform whose invoker places containers on the hosts */
  public EmbeddedWhisk whisk() {
    return whisk;
  }

  /** @return a client of the platform */
  public WhiskClient whiskClient() {
    return client;
  }

  /**
   * @return where every process on a host sees its own host's PMEM dir (the same path on all
   *     hosts, as /mnt/pmem0 on a real cluster's); from this JVM an empty directory
   */
  public Path localPmemDir() {
    return hosts.host(0).localPmemDir();
  }

  /**
   * A client configuration for faas jobs on the hosts: the run's HDFS (default file system,
   * short-circuit reads), framework {@code faas} through the OpenWhisk launcher to this
   * platform, staging on HDFS ({@code /staging}), the state store's PMEM dir at
   * {@link #localPmemDir()}. The state store stays the default; a test chooses it.
   *
   * @return a new configuration
   */
  public Configuration clientConf() {
    Configuration conf = hosts.clientConf();
    conf.set(MRConfig.FRAMEWORK_NAME, "faas");
    conf.set(FaasConfigKeys.LAUNCHER_KEY, "openwhisk");
    conf.set(FaasConfigKeys.OPENWHISK_APIHOST_KEY, whisk.apiHost().toString());
    conf.set(FaasConfigKeys.OPENWHISK_AUTH_KEY, whisk.authKey());
    conf.set(FaasConfigKeys.OPENWHISK_NAMESPACE_KEY, whisk.namespace());
    conf.setBoolean(FaasConfigKeys.STAGING_LOCAL_KEY, false);
    conf.set("yarn.app.mapreduce.am.staging-dir", "/staging");
    conf.set("mapreduce.jobtracker.staging.root.dir", "/staging");
    conf.set(FaasConfigKeys.STATE_PMEM_DIR_KEY, localPmemDir().toString());
    return conf;
  }

  /**
   * @param activationId an activation of this platform
   * @return the host it ran on, e.g. {@code host1}
   * @throws IOException if the platform does not know the activation or it names no host
   */
  public String hostOf(String activationId) throws IOException {
    return client.getActivation(activationId)
        .orElseThrow(() -> new IOException("no activation " + activationId))
        .host().orElseThrow(() -> new IOException("activation " + activationId
            + " names no host"));
  }

  /** Stops the platform, then removes the hosts; calling it again does nothing. */
  @Override
  public void close() throws IOException {
    try {
      whisk.close();
    } finally {
      hosts.close();
    }
  }

  /** The settings of a {@link HostsPlatform} before it starts. Not thread-safe. */
  public static final class Builder {
    private final Path logDir;
    private int count = 3;
    private Long seed;
    private Path diskDir;
    private Configuration hdfs = new Configuration(false);
    private UnaryOperator<PlatformSettings.Builder> platform = UnaryOperator.identity();

    private Builder(Path logDir) {
      this.logDir = logDir;
    }

    /** @param n how many hosts; default 3 @return this */
    public Builder hosts(int n) {
      count = n;
      return this;
    }

    /** @param v place containers at random with this seed; default round-robin @return this */
    public Builder randomPlacement(long v) {
      seed = v;
      return this;
    }

    /**
     * @param v a directory on a disk: stock DataNodes with a {@code [DISK]} volume below it
     *     instead of PMEM DataNodes (the caller removes it); default PMEM
     * @return this
     */
    public Builder diskVolumes(Path v) {
      diskDir = v;
      return this;
    }

    /** @param v HDFS settings replacing the fixture's (block size...) @return this */
    public Builder hdfs(Configuration v) {
      hdfs = v;
      return this;
    }

    /**
     * @param v adjusts the platform's settings (pool memory, container reuse...), applied
     *     after the fixture's
     * @return this
     */
    public Builder platform(UnaryOperator<PlatformSettings.Builder> v) {
      platform = v;
      return this;
    }

    /**
     * Starts the hosts, then the platform.
     *
     * @return the running fixture
     * @throws HostsUnavailableException if this machine or user cannot run simulated hosts
     * @throws IOException if a part does not start; what did start is removed
     */
    public HostsPlatform start() throws IOException {
      SimulatedHosts hosts = diskDir == null ? SimulatedHosts.start(count, logDir, hdfsSettings())
          : SimulatedHosts.startOnDisk(count, logDir, hdfsSettings(), diskDir);
      try {
        List<Placement> placements = hosts.hosts().stream().map(Builder::placement).toList();
        HostPlacement placement = seed == null ? HostPlacement.roundRobin(placements)
            : HostPlacement.random(placements, seed);
        // The run's site files first on the containers' class path, as HADOOP_CONF_DIR on a
        // real task image's: Hadoop code in a container that makes a configuration of its own
        // (new Configuration()) reaches the run's HDFS, and the first HDFS client of a
        // container JVM, whose settings its whole JVM keeps (DFSClient's "default" client
        // context), reads short-circuit.
        PlatformSettings settings = platform.apply(PlatformSettings.builder(
            hosts.dir().resolve("whisk")).inheritModuleOptions()
            .containerClasspath(hosts.clientConfDir() + File.pathSeparator
                + System.getProperty("java.class.path"))).build();
        EmbeddedWhisk whisk = EmbeddedWhisk.start(settings, placement);
        try {
          return new HostsPlatform(hosts, whisk);
        } catch (IOException | RuntimeException e) {
          whisk.close();
          throw e;
        }
      } catch (IOException | RuntimeException | Error e) {
        try {
          hosts.close();
        } catch (IOException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }

    /**
     * As {@link #start()}, but a machine or user that cannot run simulated hosts aborts the
     * calling test (skipped), with the reason printed on stderr.
     */
    public HostsPlatform startOrSkip() throws IOException {
      try {
        return start();
      } catch (HostsUnavailableException e) {
        System.err.println("skipped: " + e.getMessage());
        Assumptions.abort(e.getMessage());
        throw e;
      }
    }

    private static Placement placement(SimulatedHost host) {
      return new Placement("host" + host.index(), host.commandPrefix(), host.address(),
          Map.of());
    }

    /** The caller's HDFS settings over legacy short-circuit reads for this user. */
    private Configuration hdfsSettings() throws IOException {
      Configuration settings = new Configuration(false);
      settings.setBoolean(HdfsClientConfigKeys.Read.ShortCircuit.KEY, true);
      settings.setBoolean(HdfsClientConfigKeys.DFS_CLIENT_USE_LEGACY_BLOCKREADERLOCAL, true);
      settings.set(DFSConfigKeys.DFS_BLOCK_LOCAL_PATH_ACCESS_USER_KEY,
          UserGroupInformation.getCurrentUser().getShortUserName());
      for (Map.Entry<String, String> entry : hdfs) {
        settings.set(entry.getKey(), entry.getValue());
      }
      return settings;
    }
  }
}
