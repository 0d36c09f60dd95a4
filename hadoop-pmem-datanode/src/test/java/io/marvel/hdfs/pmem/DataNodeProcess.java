package io.marvel.hdfs.pmem;

import org.apache.hadoop.hdfs.server.datanode.DataNode;

/**
 * A real DataNode in its own JVM, for tests that kill it: {@code main(confFile)} runs the
 * DataNode's own entry point with {@code -conf confFile} (NameNode address, [NVDIMM] dirs, the
 * PMEM factory), until the process is killed.
 */
public final class DataNodeProcess {
  private DataNodeProcess() {
  }

  /**
   * @param args the path of the configuration file
   */
  public static void main(String[] args) {
    DataNode.main(new String[] {"-conf", args[0]});
  }
}
