package io.marvel.hdfs.pmem;

import io.marvel.hdfs.pmem.store.PmemReplicaMap;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DF;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.server.datanode.DirectoryScanner.ReportCompiler;
import org.apache.hadoop.hdfs.server.datanode.FileIoProvider;
import org.apache.hadoop.hdfs.server.datanode.StorageLocation;
import org.apache.hadoop.hdfs.server.datanode.checker.VolumeCheckResult;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.DataNodeVolumeMetrics;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsDatasetSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeReference;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.FsVolumeSpi;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;

/**
 * An [NVDIMM] volume as the DataNode's services outside the dataset see it through
 * {@code getFsVolumeReferences()} (the disk balancer, the disk checker, the directory scanner,
 * disk metrics): the stock volume in every respect except that its block iterator also yields
 * the volume's PMEM replicas, which the disk balancer picks the blocks it moves from. Whatever
 * comes back from those services into the stock dataset is unwrapped first ({@link #unwrap}),
 * because the stock dataset casts volumes to its own class. One view per volume, so that
 * services keying on the volume object (the disk checker's throttle) see the same object each
 * time. Thread-safe.
 */
final class PmemVolumeView implements FsVolumeSpi {
  private final FsVolumeImpl stock;
  private final PmemReplicaMap replicas;
  private final FsDatasetSpi<?> dataset;

  /**
   * @param stock the stock volume
   * @param replicas the dataset's PMEM replicas
   * @param dataset the dataset serving the volume's PMEM replicas
   */
  PmemVolumeView(FsVolumeImpl stock, PmemReplicaMap replicas, FsDatasetSpi<?> dataset) {
    this.stock = stock;
    this.replicas = replicas;
    this.dataset = dataset;
  }

  /** @return the stock volume behind {@code volume}, or {@code volume} itself */
  static FsVolumeSpi unwrap(FsVolumeSpi volume) {
    return volume instanceof PmemVolumeView view ? view.stock : volume;
  }

  /** @return the volumes with every view replaced by its stock volume */
  static Set<FsVolumeSpi> unwrap(Collection<FsVolumeSpi> volumes) {
    Set<FsVolumeSpi> unwrapped = new HashSet<>();
    for (FsVolumeSpi volume : volumes) {
      unwrapped.add(unwrap(volume));
    }
    return unwrapped;
  }

  /** @return the stock volume */
  FsVolumeImpl stock() {
    return stock;
  }

  @Override
  public BlockIterator newBlockIterator(String bpid, String name) {
    return new PmemBlockIterator(stock.newBlockIterator(bpid, name), replicas,
        stock.getStorageID());
  }

  @Override
  public BlockIterator loadBlockIterator(String bpid, String name) throws IOException {
    return new PmemBlockIterator(stock.loadBlockIterator(bpid, name), replicas,
        stock.getStorageID());
  }

  /** @return the dataset that serves this volume's PMEM replicas, not the stock one */
  @Override
  public FsDatasetSpi getDataset() {
    return dataset;
  }

  @Override
  public FsVolumeReference obtainReference() throws ClosedChannelException {
    FsVolumeReference reference = stock.obtainReference();
    return new FsVolumeReference() {
      @Override
      public void close() throws IOException {
        reference.close();
      }

      @Override
      public FsVolumeSpi getVolume() {
        return PmemVolumeView.this;
      }
    };
  }

  @Override
  public String getStorageID() {
    return stock.getStorageID();
  }

  @Override
  public String[] getBlockPoolList() {
    return stock.getBlockPoolList();
  }

  @Override
  public long getAvailable() throws IOException {
    return stock.getAvailable();
  }

  @Override
  public URI getBaseURI() {
    return stock.getBaseURI();
  }

  @Override
  public DF getUsageStats(Configuration conf) {
    return stock.getUsageStats(conf);
  }

  @Override
  public StorageLocation getStorageLocation() {
    return stock.getStorageLocation();
  }

  @Override
  public StorageType getStorageType() {
    return stock.getStorageType();
  }

  @Override
  public boolean isTransientStorage() {
    return stock.isTransientStorage();
  }

  @Override
  public boolean isRAMStorage() {
    return stock.isRAMStorage();
  }

  @Override
  public void reserveSpaceForReplica(long bytesToReserve) {
    stock.reserveSpaceForReplica(bytesToReserve);
  }

  @Override
  public void releaseReservedSpace(long bytesToRelease) {
    stock.releaseReservedSpace(bytesToRelease);
  }

  @Override
  public void releaseLockedMemory(long bytesToRelease) {
    stock.releaseLockedMemory(bytesToRelease);
  }

  @Override
  public byte[] loadLastPartialChunkChecksum(File blockFile, File metaFile)
      throws IOException {
    return stock.loadLastPartialChunkChecksum(blockFile, metaFile);
  }

  @Override
  public void compileReport(String bpid, Collection<ScanInfo> report,
      ReportCompiler reportCompiler) throws InterruptedException, IOException {
    stock.compileReport(bpid, report, reportCompiler);
  }

  @Override
  public FileIoProvider getFileIoProvider() {
    return stock.getFileIoProvider();
  }

  @Override
  public DataNodeVolumeMetrics getMetrics() {
    return stock.getMetrics();
  }

  @Override
  public VolumeCheckResult check(VolumeCheckContext context) throws Exception {
    return stock.check(context);
  }

  @Override
  public String toString() {
    return stock.toString();
  }
}
