/**
 * PMEM block files and the replicas they hold, usable without a DataNode.
 *
 * <p>One {@link io.marvel.hdfs.pmem.store.BlockFile} per replica: a data file holding the
 * replica's bytes from offset 0 and a meta file holding exactly what HDFS writes to a
 * {@code .meta} file, followed by a header page with two alternating, checksummed header slots
 * ({@link io.marvel.hdfs.pmem.store.HeaderCodec}; state, block id, generation stamp, durable
 * length), as {@link io.marvel.hdfs.pmem.store.BlockFileLayout} places them. Clients reading
 * short-circuit open the two files as stock block and meta files. Data and checksums are copied
 * in with cache flushes; after every packet the writer fences them and then durably records the
 * new length, so a crash leaves files whose header never claims bytes that are not in PMEM; a
 * finalized replica's data file is trimmed to its length.
 * {@link io.marvel.hdfs.pmem.store.VolumeScan} rebuilds replicas from the headers on restart;
 * {@link io.marvel.hdfs.pmem.store.BlockFilePool} keeps allocated, touched file pairs ready and
 * recycles those of deleted replicas. {@link io.marvel.hdfs.pmem.store.ReplicaFileInputStream}
 * gives the DataNode file streams (real descriptors, for passing to short-circuit clients)
 * whose reads and {@code transferTo} come from the mapping.
 */
package io.marvel.hdfs.pmem.store;
