package io.marvel.hdfs.hosts;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.server.namenode.NameNode;
import org.apache.hadoop.metrics2.lib.DefaultMetricsSystem;

/**
 * The NameNode of simulated hosts, in its own JVM on host 0: {@code main(confFile)} formats the
 * empty name dir the configuration names and runs the NameNode until the process is killed.
 */
public final class NameNodeProcess {
  private NameNodeProcess() {
  }

  /**
   * @param args the path of the configuration file
   */
  public static void main(String[] args) {
    try {
      HdfsConfiguration conf = new HdfsConfiguration();
      conf.addResource(new Path(args[0]));
      // Formatting registers the namesystem's metrics sources, which the NameNode registers
      // again; as in Hadoop's MiniDFSCluster, let the second registration pass.
      DefaultMetricsSystem.setMiniClusterMode(true);
      NameNode.format(conf);
      NameNode.createNameNode(new String[0], conf).join();
    } catch (Throwable e) {
      // Hadoop's threads would keep a failed NameNode's JVM alive: end it, so the fixture sees.
      e.printStackTrace();
      System.exit(1);
    }
  }
}
