/**
 * Marvel's PMEM DataNode: the {@link io.marvel.hdfs.pmem.PmemDatasetFactory} operators name in
 * {@code dfs.datanode.fsdataset.factory}, and the dataset it builds. Blocks on {@code [NVDIMM]}
 * data dirs are stored in PMEM block files ({@link io.marvel.hdfs.pmem.store}); everything else
 * is delegated to the stock HDFS dataset, which also keeps owning the volumes themselves.
 *
 * <pre>
 *   PmemDataset            the FsDatasetSpi the factory returns; routes only, extends
 *     ForwardingDataset    the calls needing no PMEM work: about one block to the side
 *                          holding it, all others to the stock dataset
 *   BlockPlacement         the one place that decides PMEM or stock, for a block and for a
 *                          new replica
 *   ReplicaSide            the calls about one existing block, answered by
 *     StockReplicaSide     the stock dataset, or
 *     PmemReplicaSide      one PMEM replica (reads, checks, finalize, PmemRecovery's rules)
 *   PmemReplicas           the PMEM side: its volumes and replica map; create, delete, close
 *   DatasetCache           cache directives: PMEM replicas recorded as cached
 *                          (PmemCachedReplicas), all others cached by the stock dataset
 *   DatasetReports         block and storage reports, usage and capacity with PMEM replicas
 *                          (PmemReports builds the reports)
 *   VolumeChanges          volumes and block pools added, removed, failed; shutdown
 *   ReplicaRelocation      same-node moves to, from and between PMEM volumes
 *   DuplicateReplicas      a block found on both sides after a crash (DuplicateReplicaRule)
 *   PmemVolumes            [NVDIMM] volumes in service, probing at start, round-robin choice
 *   PmemVolume             one volume: block file directories and its pool of prepared files
 *   PmemRecovery           pipeline recovery, append, recovered close, block recovery rules
 *   PmemScanner            background verification of finalized PMEM replicas
 *   PmemVolumeViews        [NVDIMM] volumes as handed to the disk balancer and other services:
 *     PmemVolumeView       the stock volume, whose block iterator (PmemBlockIterator) adds
 *                          the volume's PMEM replicas
 * </pre>
 */
package io.marvel.hdfs.pmem;
