package io.marvel.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PmemRegionConcurrencyTest {
  private static final int THREADS = 4;
  private static final int SLICE = 1 << 20;

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void concurrentWritersToDisjointRangesAllLand() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (PmemRegion region = PmemRegion.create(dir.resolve("disjoint"), (long) THREADS * SLICE)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int slice = t;
        done.add(pool.submit(() -> {
          byte[] chunk = PmemRegionTest.random(4096, slice);
          for (int off = 0; off < SLICE; off += chunk.length) {
            region.writeDurable((long) slice * SLICE + off, chunk, 0, chunk.length);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      for (int t = 0; t < THREADS; t++) {
        byte[] expected = PmemRegionTest.random(4096, t);
        byte[] back = new byte[4096];
        for (int off = 0; off < SLICE; off += back.length) {
          region.read((long) t * SLICE + off, back, 0, back.length);
          assertArrayEquals(expected, back, "slice " + t + " offset " + off);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeRacingWithUseEndsEveryCallerWithIllegalStateOnly() throws Exception {
    for (int round = 0; round < 20; round++) {
      PmemRegion region = PmemRegion.create(dir.resolve("race-" + round), 1 << 20);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      CountDownLatch started = new CountDownLatch(THREADS);
      AtomicLong calls = new AtomicLong();
      List<Future<Throwable>> outcomes = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int kind = t;
        outcomes.add(pool.submit(() -> {
          byte[] buf = new byte[64 * 1024];
          ByteBuffer direct = ByteBuffer.allocateDirect(64 * 1024);
          started.countDown();
          try {
            while (true) {
              switch (kind) {
                case 0 -> region.writeDurable(0, buf, 0, buf.length);
                case 1 -> region.read(4096, buf, 0, buf.length);
                case 2 -> region.read(8192, direct.clear());
                default -> region.withView(0, buf.length, view -> view.get(buf, 0, 100));
              }
              calls.incrementAndGet();
            }
          } catch (Throwable e) {
            return e;
          }
        }));
      }
      started.await();
      while (calls.get() < 100) {
        Thread.onSpinWait();
      }
      region.close();
      for (Future<Throwable> outcome : outcomes) {
        Throwable e = outcome.get(30, TimeUnit.SECONDS);
        assertEquals(IllegalStateException.class, e.getClass(), String.valueOf(e));
        assertTrue(e.getMessage().contains("is closed"));
      }
      pool.shutdownNow();
    }
  }
}
