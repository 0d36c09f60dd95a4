package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StorageType;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.protocol.ExtendedBlock;
import org.apache.hadoop.hdfs.protocol.LocatedBlock;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.namenode.FSNamesystem;
import org.junit.jupiter.api.Test;

/**
 * The background scan of PMEM replicas against a real NameNode: a corrupt replica is found and
 * replaced without any client reading the file.
 */
class CorruptReplicaScanTest extends PmemClusterTestBase {

  @Test
  void corruptReplicaIsFoundByTheScannerAndReplaced() throws Exception {
    Configuration conf = newConf();
    conf.setLong(PmemDatasetKeys.SCAN_PERIOD_MS_KEY, 300);
    conf.setLong(DFSConfigKeys.DFS_BLOCK_SCANNER_VOLUME_BYTES_PER_SECOND, 64L << 20);
    startCluster(conf, 2);
    Path file = new Path("/scanned");
    byte[] bytes = data(BLOCK_SIZE / 2 + 1000, 31);
    write(file, bytes, (short) 2);
    LocatedBlock block = fs().getClient().getLocatedBlocks(file.toString(), 0).get(0);
    DataNode bad = cluster.getDataNode(block.getLocations()[0].getIpcPort());
    ExtendedBlock eb = block.getBlock();
    FSNamesystem namesystem = cluster.getNamesystem();
    assertEquals(0, namesystem.getCorruptReplicaBlocks(), "blocks with corrupt replicas");

    flipDataByte(bad, eb, 5000);
    // Only two DataNodes: the NameNode cannot re-replicate yet, so the corrupt replica stays
    // listed until a third DataNode joins.
    waitFor("the NameNode to learn of the corrupt replica on " + bad, 20_000,
        () -> namesystem.getCorruptReplicaBlocks() == 1);

    cluster.startDataNodes(conf, 1, new StorageType[][] {{StorageType.NVDIMM}}, true, null,
        null, null, null, null, false, false, false, null, null, null);
    cluster.waitActive();
    waitFor("the block to be copied to the new DataNode and the corrupt replica deleted",
        30_000, () -> !bad.getFSDataset().contains(eb) && goodReplicas(eb, bytes) == 2
            && namesystem.getCorruptReplicaBlocks() == 0);
    assertContent(file, bytes);
  }
}
