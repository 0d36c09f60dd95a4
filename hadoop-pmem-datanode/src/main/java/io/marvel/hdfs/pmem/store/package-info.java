/**
 * PMEM block files and the replicas they hold, usable without a DataNode.
 *
 * <p>One {@link io.marvel.hdfs.pmem.store.BlockFile} per replica, laid out by
 * {@link io.marvel.hdfs.pmem.store.BlockFileLayout}: a header page with two alternating,
 * checksummed header slots ({@link io.marvel.hdfs.pmem.store.HeaderCodec}; state, block id,
 * generation stamp, durable length), then the replica's meta data exactly as HDFS writes a
 * {@code .meta} file, then its data. Data and checksums are copied in with cache flushes; after
 * every packet the writer fences them and then durably records the new length, so a crash
 * leaves a file whose header never claims bytes that are not in PMEM.
 * {@link io.marvel.hdfs.pmem.store.VolumeScan} rebuilds replicas from the headers on restart;
 * {@link io.marvel.hdfs.pmem.store.BlockFilePool} keeps allocated, touched files ready and
 * recycles those of deleted replicas.
 */
package io.marvel.hdfs.pmem.store;
