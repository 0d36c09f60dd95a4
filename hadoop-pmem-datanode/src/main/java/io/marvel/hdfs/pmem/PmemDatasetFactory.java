package io.marvel.hdfs.pmem;

import java.io.IOException;
import org.apache.hadoop.classification.InterfaceAudience;
import org.apache.hadoop.classification.InterfaceStability;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.DataStorage;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsDatasetFactory;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;

/**
 * The factory operators name in {@code dfs.datanode.fsdataset.factory} to store blocks of
 * {@code [NVDIMM]} data dirs in PMEM. It builds the stock dataset, opens its [NVDIMM] volumes as
 * PMEM volumes and hands both to a {@link PmemDataset}.
 */
@InterfaceAudience.Private
@InterfaceStability.Unstable
public final class PmemDatasetFactory extends FsDatasetSpi.Factory<PmemDataset> {
  static {
    Configuration.addDefaultResource(PmemDatasetKeys.DEFAULT_RESOURCE);
  }

  /**
   * Makes DataNodes created with {@code conf} use PMEM for [NVDIMM] dirs.
   *
   * @param conf the configuration to change
   */
  public static void setFactory(Configuration conf) {
    conf.set(DFSConfigKeys.DFS_DATANODE_FSDATASET_FACTORY_KEY,
        PmemDatasetFactory.class.getName());
  }

  /**
   * @throws org.apache.hadoop.util.DiskChecker.DiskErrorException if more [NVDIMM] volumes
   *     fail their checks than dfs.datanode.failed.volumes.tolerated allows
   * @throws org.apache.hadoop.HadoopIllegalArgumentException if a dfs.datanode.pmem.* value is
   *     invalid
   * @throws IOException if the stock dataset cannot be built
   */
  @Override
  public PmemDataset newInstance(DataNode datanode, DataStorage storage, Configuration conf)
      throws IOException {
    PmemSettings settings = PmemSettings.from(conf);
    FsDatasetSpi<FsVolumeImpl> stock = new FsDatasetFactory().newInstance(datanode, storage,
        conf);
    PmemVolumes volumes;
    try {
      volumes = PmemVolumes.open(stock, settings,
          datanode.getDnConf().getVolFailuresTolerated(),
          datanode.getDnConf().getVolsConfigured());
    } catch (IOException | RuntimeException e) {
      stock.shutdown();
      throw e;
    }
    return new PmemDataset(stock, datanode, volumes);
  }
}
