package io.marvel.hdfs.pmem;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.hdfs.protocol.Block;
import org.apache.hadoop.hdfs.protocol.BlockLocalPathInfo;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.apache.hadoop.hdfs.server.datanode.Replica;
import org.apache.hadoop.hdfs.server.datanode.ReplicaHandler;
import org.apache.hadoop.hdfs.server.datanode.ReplicaInPipeline;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.LengthInputStream;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.ReplicaInputStreams;
import org.apache.hadoop.hdfs.server.datanode.fsdataset.impl.FsVolumeImpl;
import org.apache.hadoop.hdfs.server.protocol.BlockRecoveryCommand.RecoveringBlock;
import org.apache.hadoop.hdfs.server.protocol.ReplicaRecoveryInfo;

/**
 * The {@code FsDatasetSpi} calls about one block that exists on this DataNode, answered by the
 * side that holds its replica: the stock dataset ({@link StockReplicaSide}) or one PMEM replica
 * ({@link PmemReplicaSide}). {@link BlockPlacement#of} picks the side once per call; each
 * method has the meaning, parameters and exceptions of the {@code FsDatasetSpi} method of the
 * same name. Thread safety is the side's.
 */
interface ReplicaSide {
  FsVolumeImpl getVolume(ExtendedBlock b);

  LengthInputStream getMetaDataInputStream(ExtendedBlock b) throws IOException;

  long getLength(ExtendedBlock b) throws IOException;

  @Deprecated
  Replica getReplica(String bpid, long blockId);

  String getReplicaString(String bpid, long blockId);

  Block getStoredBlock(String bpid, long blockId) throws IOException;

  InputStream getBlockInputStream(ExtendedBlock b, long seekOffset) throws IOException;

  ReplicaInputStreams getTmpInputStreams(ExtendedBlock b, long blkoff, long ckoff)
      throws IOException;

  ReplicaInPipeline convertTemporaryToRbw(ExtendedBlock temporary) throws IOException;

  void finalizeBlock(ExtendedBlock b, boolean fsyncDir) throws IOException;

  void unfinalizeBlock(ExtendedBlock b) throws IOException;

  boolean contains(ExtendedBlock b);

  void checkBlock(ExtendedBlock b, long minLength, ReplicaState state) throws IOException;

  boolean isValidBlock(ExtendedBlock b);

  boolean isValidRbw(ExtendedBlock b);

  long getReplicaVisibleLength(ExtendedBlock b) throws IOException;

  ReplicaHandler recoverRbw(ExtendedBlock b, long newGS, long minBytesRcvd, long maxBytesRcvd)
      throws IOException;

  ReplicaHandler append(ExtendedBlock b, long newGS, long expectedBlockLen) throws IOException;

  ReplicaHandler recoverAppend(ExtendedBlock b, long newGS, long expectedBlockLen)
      throws IOException;

  Replica recoverClose(ExtendedBlock b, long newGS, long expectedBlockLen) throws IOException;

  ReplicaRecoveryInfo initReplicaRecovery(RecoveringBlock rBlock) throws IOException;

  Replica updateReplicaUnderRecovery(ExtendedBlock oldBlock, long recoveryId, long newBlockId,
      long newLength) throws IOException;

  BlockLocalPathInfo getBlockLocalPathInfo(ExtendedBlock b) throws IOException;

  boolean getPinning(ExtendedBlock b) throws IOException;

  void setPinning(ExtendedBlock b) throws IOException;

  boolean isCached(String bpid, long blockId);

  boolean isDeletingBlock(String bpid, long blockId);

  void invalidateMissingBlock(String bpid, Block block) throws IOException;
}
