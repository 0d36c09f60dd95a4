package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.Durability;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.apache.hadoop.classification.InterfaceAudience;
import org.apache.hadoop.classification.InterfaceStability;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.datanode.DataStorage;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsDatasetFactory;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The factory operators name in {@code dfs.datanode.fsdataset.factory} to store blocks of
 * {@code [NVDIMM]} data dirs in PMEM. It builds the stock dataset, opens its [NVDIMM] volumes as
 * PMEM volumes and hands both to a {@link PmemDataset}.
 */
@InterfaceAudience.Private
@InterfaceStability.Unstable
public final class PmemDatasetFactory extends FsDatasetSpi.Factory<PmemDataset> {
  private static final Logger LOG = LoggerFactory.getLogger(PmemDatasetFactory.class);
  private static final int MIN_READ_PACKET = 64 * 1024;

  private final Durability durability;

  static {
    Configuration.addDefaultResource(PmemDatasetKeys.DEFAULT_RESOURCE);
  }

  /** The factory Hadoop creates: file system changes are made durable with fsync. */
  public PmemDatasetFactory() {
    this(Durability.FSYNC);
  }

  /** A factory whose datasets make file system changes durable through {@code durability}. */
  PmemDatasetFactory(Durability durability) {
    this.durability = durability;
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
    ScannerSettings scan = ScannerSettings.from(conf);
    warnAboutSmallReadPackets();
    unknownKeys(conf).forEach(LOG::warn);
    FsDatasetSpi<FsVolumeImpl> stock = new FsDatasetFactory().newInstance(datanode, storage,
        conf);
    PmemVolumes volumes;
    try {
      volumes = PmemVolumes.open(stock, settings,
          datanode.getDnConf().getVolFailuresTolerated(),
          datanode.getDnConf().getVolsConfigured(), durability);
    } catch (IOException | RuntimeException e) {
      stock.shutdown();
      throw e;
    }
    PmemDataset dataset = new PmemDataset(stock, datanode, volumes, conf.getBoolean(
        DFSConfigKeys.DFS_DATANODE_DUPLICATE_REPLICA_DELETION,
        DFSConfigKeys.DFS_DATANODE_DUPLICATE_REPLICA_DELETION_DEFAULT));
    dataset.replaceDatasetMBean();
    dataset.startScanner(scan);
    return dataset;
  }

  /**
   * Hadoop ignores a misspelled key without a word. Known are Marvel's keys and stock HDFS's own
   * keys under the same prefix (its PMEM cache: dfs.datanode.pmem.cache.*).
   *
   * @return one warning per dfs.datanode.pmem.* key of {@code conf} that neither knows
   */
  static List<String> unknownKeys(Configuration conf) {
    Set<String> known = new TreeSet<>();
    for (Class<?> keys : List.of(PmemDatasetKeys.class, DFSConfigKeys.class)) {
      for (Field field : keys.getFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
          try {
            String value = (String) field.get(null);
            if (value != null && value.startsWith(PmemDatasetKeys.PREFIX)) {
              known.add(value);
            }
          } catch (IllegalAccessException e) {
            throw new IllegalStateException("public field " + field + " is not readable", e);
          }
        }
      }
    }
    LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
    List<String> warnings = new ArrayList<>();
    for (String suffix : new TreeSet<>(conf.getPropsWithPrefix(PmemDatasetKeys.PREFIX).keySet())) {
      String key = PmemDatasetKeys.PREFIX + suffix;
      if (!known.contains(key)) {
        String closest = known.stream()
            .min(Comparator.comparingInt((String k) -> distance.apply(key, k))).orElse("");
        warnings.add("unknown key " + key + " has no effect; did you mean " + closest
            + "? Every key is listed in " + PmemDatasetKeys.DEFAULT_RESOURCE);
      }
    }
    return warnings;
  }

  /**
   * The DataNode sends replicas it cannot hand to sendfile (PMEM replicas) in packets of
   * io.file.buffer.size bytes, read once from core-site.xml; Hadoop's 4 KiB default makes PMEM
   * reads several times slower than needed.
   */
  private static void warnAboutSmallReadPackets() {
    int size = new HdfsConfiguration().getInt(
        CommonConfigurationKeysPublic.IO_FILE_BUFFER_SIZE_KEY,
        CommonConfigurationKeysPublic.IO_FILE_BUFFER_SIZE_DEFAULT);
    if (size < MIN_READ_PACKET) {
      LOG.warn("io.file.buffer.size is {} bytes: the DataNode sends PMEM replicas to readers in "
          + "packets of that size; set it to 131072 in core-site.xml for full read throughput",
          size);
    }
  }
}
