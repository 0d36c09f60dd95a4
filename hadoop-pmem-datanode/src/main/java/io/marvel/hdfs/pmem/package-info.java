/**
 * Marvel's PMEM DataNode: the {@link io.marvel.hdfs.pmem.PmemDatasetFactory} operators name in
 * {@code dfs.datanode.fsdataset.factory}, and the dataset it builds. Blocks on {@code [NVDIMM]}
 * data dirs are stored in PMEM block files ({@link io.marvel.hdfs.pmem.store}); everything else
 * is delegated to the stock HDFS dataset, which also keeps owning the volumes themselves.
 *
 * <pre>
 *   ForwardingDataset      every FsDatasetSpi call forwarded to the stock dataset
 *     PmemIoDataset        create / read / finalize / delete routed to PMEM replicas
 *       PmemCachingDataset cache directives: PMEM replicas recorded as cached
 *                          (PmemCachedReplicas), all others cached by the stock dataset
 *         PmemDataset      recovery, append, block and storage reports, volume changes
 *   PmemVolumes            [NVDIMM] volumes in service, probing at start, round-robin choice
 *   PmemVolume             one volume: block file directories and its pool of prepared files
 *   PmemRecovery           pipeline recovery, append, recovered close, block recovery rules
 *   PmemReports            PMEM replicas in block reports, PMEM usage in storage reports
 *   PmemVolumeViews        [NVDIMM] volumes as handed to the disk balancer and other services:
 *     PmemVolumeView       the stock volume, whose block iterator (PmemBlockIterator) adds
 *                          the volume's PMEM replicas
 * </pre>
 */
package io.marvel.hdfs.pmem;
