package io.marvel.hdfs.pmem.store;

import static io.marvel.hdfs.pmem.store.BlockFileFixtures.LAYOUT;
import static io.marvel.hdfs.pmem.store.BlockFileFixtures.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.PmemException;
import io.marvel.pmem.ShmTempDirFactory;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockFileHandOverTest {
  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void aHeaderWriteRacingAHandOverFailsAsClosedInsteadOfDeadlocking() throws Exception {
    BlockFile file = BlockFile.create(dir.resolve("blk"), LAYOUT);
    BlockFileHeader rbw = new BlockFileHeader(BlockFileState.RBW, 7, 1001, 0, LAYOUT);
    file.writeHeader(rbw);
    // A reader keeps the file in use while the hand-over queues up for it and a header write
    // arrives: the order in which a recycled replica's writer and its recycling meet.
    CountDownLatch release = new CountDownLatch(1);
    Thread reader = daemon(() -> file.transferData(0, 4096, new WritableByteChannel() {
      @Override
      public int write(ByteBuffer src) {
        awaitQuietly(release);
        int n = src.remaining();
        src.position(src.limit());
        return n;
      }

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public void close() {
      }
    }));
    reader.start();
    waitFor(() -> reader.getState() == Thread.State.TIMED_WAITING);
    AtomicReference<BlockFile> next = new AtomicReference<>();
    Thread handOver = daemon(() -> next.set(file.handOver()));
    handOver.start();
    waitFor(() -> handOver.getState() != Thread.State.RUNNABLE);
    AtomicReference<Throwable> headerFailure = new AtomicReference<>();
    Thread writer = daemon(() -> {
      try {
        file.writeHeader(rbw.withLength(512));
      } catch (Throwable e) {
        headerFailure.set(e);
      }
    });
    writer.start();
    waitFor(() -> writer.getState() != Thread.State.RUNNABLE);
    release.countDown();

    handOver.join(10_000);
    writer.join(10_000);
    assertFalse(handOver.isAlive() || writer.isAlive(), "hand-over and header write deadlocked");
    assertInstanceOf(PmemException.class, headerFailure.get());
    assertTrue(headerFailure.get().getMessage().contains("is closed"),
        headerFailure.get().getMessage());
    assertEquals(rbw, next.get().header(), "the new owner has the last written header");
    next.get().close();
  }

  /** Something to run that may throw. */
  private interface Action {
    void run() throws Exception;
  }

  private static Thread daemon(Action action) {
    Thread thread = new Thread(() -> {
      try {
        action.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    thread.setDaemon(true);
    return thread;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
