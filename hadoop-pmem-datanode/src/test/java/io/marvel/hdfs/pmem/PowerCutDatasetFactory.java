package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.Durability;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.DataStorage;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;

/**
 * The PMEM dataset factory with the {@link Durability} a test installs in {@link #durability},
 * for DataNodes of a MiniDFSCluster (in this JVM).
 */
public final class PowerCutDatasetFactory extends FsDatasetSpi.Factory<PmemDataset> {
  /** What DataNodes created from now on make durable through. */
  static volatile Durability durability = Durability.FSYNC;

  @Override
  public PmemDataset newInstance(DataNode datanode, DataStorage storage, Configuration conf)
      throws IOException {
    return new PmemDatasetFactory(durability).newInstance(datanode, storage, conf);
  }
}
