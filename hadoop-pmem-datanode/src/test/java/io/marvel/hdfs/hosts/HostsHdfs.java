package io.marvel.hdfs.hosts;

import io.marvel.hdfs.pmem.ChildDataNode;
import io.marvel.hdfs.pmem.PmemDatasetFactory;
import io.marvel.hdfs.pmem.PmemDatasetKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.client.HdfsClientConfigKeys.BlockWrite;
import org.apache.hadoop.hdfs.protocol.HdfsConstants.DatanodeReportType;
import org.apache.hadoop.hdfs.protocol.HdfsConstants.SafeModeAction;

/**
 * The HDFS of a run: a NameNode JVM on host 0 and a PMEM DataNode JVM on every host, whose only
 * volume is {@code [NVDIMM]<host's local PMEM dir>/datanode}, each listening on its host's
 * address. The root directory's storage policy is ALL_NVDIMM, so files need no policy of their
 * own. Or, with a disk dir, stock DataNodes whose one volume is {@code [DISK]<disk dir>/hostI}
 * (Hadoop's default policy). Ports are Hadoop's defaults: every host has a network stack of its
 * own.
 */
final class HostsHdfs {
  static final int NAMENODE_PORT = 8020;
  private static final long START_TIMEOUT_MS = 120_000;
  private static final String HEAP = "256m";
  /** The storage policy of the root directory, so of every file that sets none. */
  static final String ROOT_POLICY = "ALL_NVDIMM";
  /** Hadoop names no constant for it (core-default.xml). */
  private static final String HADOOP_TMP_DIR = "hadoop.tmp.dir";

  private final HostRun run;
  private final List<SimulatedHost> hosts;
  private final Path logDir;
  private final Configuration conf;
  /** Null: PMEM DataNodes; else stock DataNodes on a disk volume below it. */
  private final Path diskDir;
  private final List<ChildDataNode> dataNodes = new ArrayList<>();
  private Process nameNode;

  /**
   * @param overrides settings that replace the fixture's (block size, replication...)
   * @param diskDir null for PMEM DataNodes, else where stock DataNodes keep their disk volumes
   */
  HostsHdfs(HostRun run, List<SimulatedHost> hosts, Path logDir, Configuration overrides,
      Path diskDir) {
    this.run = run;
    this.hosts = hosts;
    this.logDir = logDir;
    this.diskDir = diskDir;
    this.conf = baseConf(overrides);
  }

  private Configuration baseConf(Configuration overrides) {
    Configuration base = new Configuration();
    String nameNodeAddress = hosts.get(0).address();
    base.set(CommonConfigurationKeysPublic.FS_DEFAULT_NAME_KEY, nameNodeUri());
    base.set(DFSConfigKeys.DFS_NAMENODE_RPC_ADDRESS_KEY, nameNodeAddress + ":" + NAMENODE_PORT);
    base.set(DFSConfigKeys.DFS_NAMENODE_HTTP_ADDRESS_KEY, nameNodeAddress + ":9870");
    base.set(DFSConfigKeys.DFS_NAMENODE_NAME_DIR_KEY, run.dir().resolve("namenode").toUri()
        .toString());
    // Nothing resolves the hosts' addresses to names: register DataNodes by address.
    base.setBoolean(DFSConfigKeys.DFS_NAMENODE_DATANODE_REGISTRATION_IP_HOSTNAME_CHECK_KEY,
        false);
    base.setInt(DFSConfigKeys.DFS_NAMENODE_SAFEMODE_EXTENSION_KEY, 0);
    base.setInt(DFSConfigKeys.DFS_HEARTBEAT_INTERVAL_KEY, 1);
    base.setInt(DFSConfigKeys.DFS_REPLICATION_KEY, Math.min(3, hosts.size()));
    base.setLong(DFSConfigKeys.DFS_BLOCK_SIZE_KEY, 16L * 1024 * 1024);
    base.setInt(CommonConfigurationKeysPublic.IO_FILE_BUFFER_SIZE_KEY, 128 * 1024);
    if (diskDir == null) {
      PmemDatasetFactory.setFactory(base);
      base.setInt(PmemDatasetKeys.PREPARED_FILES_KEY, 1);
    }
    for (Map.Entry<String, String> entry : overrides) {
      base.set(entry.getKey(), entry.getValue());
    }
    return base;
  }

  /** @return hdfs://(host 0's address):8020 */
  String nameNodeUri() {
    return "hdfs://" + hosts.get(0).address() + ":" + NAMENODE_PORT;
  }

  /** @return the configuration of clients: every process on a host, or the starting JVM */
  Configuration clientConf() {
    Configuration client = new Configuration(conf);
    client.set(HADOOP_TMP_DIR, run.dir().resolve("tmp")
        .resolve("client").toString());
    // The distribution's clients ask again soon whether a closed file is complete (its
    // etc/hadoop/hdfs-site.xml); clients of the simulated hosts are the distribution's.
    client.setInt(BlockWrite.LOCATEFOLLOWINGBLOCK_INITIAL_DELAY_MS_KEY, 25);
    client.setInt(BlockWrite.LOCATEFOLLOWINGBLOCK_RETRIES_KEY, 9);
    return client;
  }


  /** Starts the NameNode and the DataNodes and waits until every DataNode is live. */
  void start() throws IOException {
    Path confDir = Files.createDirectories(run.dir().resolve("conf"));
    // Hadoop's tools (FsShell...) refuse to start without core-site.xml on their class path;
    // hdfs-site.xml holds the same, or hdfs-default.xml, read after core-site.xml, would win.
    Path clientDir = Files.createDirectories(run.clientConfDir());
    writeXml(clientConf(), clientDir.resolve("core-site.xml"));
    writeXml(clientConf(), clientDir.resolve("hdfs-site.xml"));
    Configuration nameNodeConf = new Configuration(conf);
    nameNodeConf.set(HADOOP_TMP_DIR, tmpDir("namenode"));
    Path nameNodeFile = writeXml(nameNodeConf, confDir.resolve("namenode.xml"));
    nameNode = hosts.get(0).java(NameNodeProcess.class.getName(),
        List.of(nameNodeFile.toString()), log("namenode"));
    for (SimulatedHost host : hosts) {
      dataNodes.add(startDataNode(host, confDir));
    }
    awaitLiveDataNodes();
    if (diskDir != null) {
      return;
    }
    try (FileSystem fs = FileSystem.newInstance(clientConf())) {
      // Every volume is NVDIMM: a file under the default policy (HOT, all DISK) would find none.
      fs.setStoragePolicy(new org.apache.hadoop.fs.Path("/"), ROOT_POLICY);
    }
  }

  private ChildDataNode startDataNode(SimulatedHost host, Path confDir) throws IOException {
    String volume;
    if (diskDir == null) {
      Files.createDirectories(host.pmemDir().resolve("datanode"));
      // The DataNode sees its host's PMEM dir at the local path, the same on every host.
      volume = "[NVDIMM]" + host.localPmemDir().resolve("datanode").toUri();
    } else {
      volume = "[DISK]" + Files.createDirectories(diskDir.resolve("host" + host.index())).toUri();
    }
    Configuration dataNodeConf = new Configuration(conf);
    String address = host.address();
    dataNodeConf.set(DFSConfigKeys.DFS_DATANODE_ADDRESS_KEY, address + ":9866");
    dataNodeConf.set(DFSConfigKeys.DFS_DATANODE_HTTP_ADDRESS_KEY, address + ":9864");
    dataNodeConf.set(DFSConfigKeys.DFS_DATANODE_IPC_ADDRESS_KEY, address + ":9867");
    dataNodeConf.set(HADOOP_TMP_DIR,
        tmpDir("host" + host.index()));
    Path file = ChildDataNode.writeConf(dataNodeConf, nameNodeUri(), volume, address,
        confDir.resolve("host" + host.index() + "-datanode.xml"));
    return ChildDataNode.start(host.commandPrefix(), host.javaOptions(), file,
        log("host" + host.index() + "-datanode"), HEAP);
  }

  private void awaitLiveDataNodes() throws IOException {
    Configuration poll = clientConf();
    // Fail a call fast while the NameNode is not up yet; the loop retries.
    poll.setInt(CommonConfigurationKeysPublic.IPC_CLIENT_CONNECT_MAX_RETRIES_KEY, 0);
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    String last = "the NameNode did not answer";
    try (DistributedFileSystem fs = (DistributedFileSystem) FileSystem.newInstance(poll)) {
      while (System.currentTimeMillis() < deadline) {
        checkAlive();
        try {
          int live = fs.getDataNodeStats(DatanodeReportType.LIVE).length;
          boolean safeMode = fs.setSafeMode(SafeModeAction.SAFEMODE_GET);
          if (live == hosts.size() && !safeMode) {
            return;
          }
          last = live + " of " + hosts.size() + " DataNodes live" + (safeMode ? ", in safe mode"
              : "");
        } catch (IOException e) {
          last = e.toString();
        }
        Commands.pause(250);
      }
    }
    throw new IOException("the HDFS of " + run + " did not start within " + START_TIMEOUT_MS
        + " ms (" + last + "); logs in " + logDir);
  }

  private void checkAlive() throws IOException {
    if (!nameNode.isAlive()) {
      throw new IOException("the NameNode of " + run + " ended (exit " + nameNode.exitValue()
          + "): " + tail(log("namenode")));
    }
    for (int i = 0; i < dataNodes.size(); i++) {
      if (!dataNodes.get(i).isAlive()) {
        throw new IOException("the DataNode of host" + i + " of " + run + " ended: "
            + tail(log("host" + i + "-datanode")));
      }
    }
  }

  /** @return the ids of the NameNode and DataNode processes */
  List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    if (nameNode != null) {
      pids.add(nameNode.pid());
    }
    for (ChildDataNode dataNode : dataNodes) {
      pids.add(dataNode.pid());
    }
    return pids;
  }

  private String tmpDir(String who) {
    return run.dir().resolve("tmp").resolve(who).toString();
  }

  private Path log(String what) {
    return logDir.resolve(run.name() + "-" + what + ".log");
  }

  private static Path writeXml(Configuration configuration, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      configuration.writeXml(out);
    }
    return file;
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
