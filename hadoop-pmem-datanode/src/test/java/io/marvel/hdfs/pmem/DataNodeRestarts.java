package io.marvel.hdfs.pmem;

import java.io.IOException;
import java.net.BindException;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** Restarting a MiniDFSCluster's DataNode, for this module's tests and the faas module's. */
public final class DataNodeRestarts {
  private DataNodeRestarts() {
  }

  /**
   * Restarts a stopped DataNode on its old ports and waits until it is back, retrying for up to
   * 30 s while its old sockets are still bound: they close asynchronously, and a restart at once
   * may fail to bind on a loaded machine.
   *
   * @param cluster the cluster
   * @param stopped what stopping the DataNode returned
   * @throws IOException if it does not restart
   * @throws InterruptedException if interrupted while waiting to retry
   */
  public static void restartKeepingPorts(MiniDFSCluster cluster,
      MiniDFSCluster.DataNodeProperties stopped) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        if (!cluster.restartDataNode(stopped, true)) {
          throw new IOException("the DataNode did not restart");
        }
        cluster.waitActive();
        return;
      } catch (BindException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }
}
