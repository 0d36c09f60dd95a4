package io.marvel.hdfs.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.hdfs.pmem.store.BlockFile;
import io.marvel.hdfs.pmem.store.BlockFileHeader;
import io.marvel.hdfs.pmem.store.BlockFileLayout;
import io.marvel.hdfs.pmem.store.BlockFileState;
import io.marvel.hdfs.pmem.store.PmemReplica;
import io.marvel.hdfs.pmem.store.PmemReplicaMap;
import io.marvel.pmem.ShmTempDirFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hdfs.server.common.HdfsServerConstants.ReplicaState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which PMEM replicas count as cached, and the cache accounting, on real block files. */
class PmemCachedReplicasTest {
  private static final String POOL = "BP-1";
  private static final BlockFileLayout LAYOUT = BlockFileLayout.forCapacity(64 * 1024, 512);

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  private final PmemReplicaMap replicas = new PmemReplicaMap();
  private final PmemCachedReplicas cached = new PmemCachedReplicas(replicas);
  private final List<BlockFile> files = new ArrayList<>();

  @AfterEach
  void closeFiles() throws IOException {
    for (BlockFile file : files) {
      file.close();
    }
  }

  @Test
  void finalizedReplicaIsCachedAndAccounted() throws IOException {
    replica(1, 1001, ReplicaState.FINALIZED, 3000);
    replica(2, 1001, ReplicaState.FINALIZED, 500);
    assertEquals(3500, cached.capacity(), "capacity: every finalized PMEM replica");
    assertEquals(0, cached.used());

    assertTrue(cached.cache(POOL, 1));
    assertEquals(List.of(1L), cached.report(POOL));
    assertEquals(3000, cached.used());
    assertEquals(1, cached.count());
    assertEquals(0, cached.failedToCache());
  }

  @Test
  void blocksWithoutPmemReplicaAreLeftToTheStockCache() throws IOException {
    replica(1, 1001, ReplicaState.FINALIZED, 3000);
    assertFalse(cached.cache(POOL, 2));
    assertFalse(cached.uncache(POOL, 2));
    assertFalse(cached.cache("BP-other", 1));
    assertEquals(List.of(), cached.report(POOL));
  }

  @Test
  void replicaBeingWrittenIsNotCachedAndCountsAsFailed() throws IOException {
    replica(1, 1001, ReplicaState.RBW, 100);
    assertTrue(cached.cache(POOL, 1), "a PMEM replica: not the stock cache's");
    assertEquals(1, cached.failedToCache());
    assertEquals(List.of(), cached.report(POOL));
    assertEquals(0, cached.capacity(), "only finalized replicas count");
  }

  @Test
  void changedReplacedOrDeletedReplicaStopsCounting() throws IOException {
    PmemReplica replica = replica(1, 1001, ReplicaState.FINALIZED, 3000);
    cached.cache(POOL, 1);
    replica.setGenerationStamp(1002);
    assertEquals(List.of(), cached.report(POOL), "a new generation stamp: cache it again");
    assertEquals(0, cached.used());

    cached.cache(POOL, 1);
    assertEquals(List.of(1L), cached.report(POOL));
    replica(1, 1003, ReplicaState.FINALIZED, 3000);
    assertEquals(List.of(), cached.report(POOL), "another replica of the block (a move)");

    cached.cache(POOL, 1);
    assertEquals(1, cached.count());
    assertTrue(replicas.remove(POOL, replicas.get(POOL, 1)));
    assertEquals(0, cached.count(), "deleted");
    assertEquals(List.of(), cached.report(POOL));
  }

  @Test
  void uncacheForgetsAndAnswersForEveryPmemReplica() throws IOException {
    replica(1, 1001, ReplicaState.FINALIZED, 3000);
    cached.cache(POOL, 1);
    assertTrue(cached.uncache(POOL, 1));
    assertEquals(List.of(), cached.report(POOL));
    assertEquals(0, cached.used());
    assertTrue(cached.uncache(POOL, 1), "not cached, but PMEM: the stock cache would fail it");
  }

  /** Adds a replica on a real block file whose header matches it. */
  private PmemReplica replica(long id, long stamp, ReplicaState state, long length)
      throws IOException {
    BlockFile file = BlockFile.create(dir.resolve("blk_" + id + "_" + stamp), LAYOUT);
    files.add(file);
    BlockFileState fileState = state == ReplicaState.FINALIZED
        ? BlockFileState.FINALIZED : BlockFileState.RBW;
    file.writeHeader(new BlockFileHeader(fileState, id, stamp, length, LAYOUT));
    PmemReplica replica = new PmemReplica(id, stamp, state, length, null, file);
    replicas.put(POOL, replica);
    return replica;
  }
}
