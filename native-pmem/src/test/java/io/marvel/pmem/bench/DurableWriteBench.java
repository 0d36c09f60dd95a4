package io.marvel.pmem.bench;

import io.marvel.pmem.PmemRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The Java side of dev-support/bin/bench-pmem: durable sequential writes through
 * {@link PmemRegion}, the stock alternative ({@code FileChannel.write} + {@code force}), and the
 * latency of small durable writes. Prints "name value" lines the script tabulates.
 */
public final class DurableWriteBench {
  private static final int CHUNK = 1 << 20;

  private DurableWriteBench() {
  }

  /** @param args FILE SIZE_BYTES PASSES LATENCY_OPS */
  public static void main(String[] args) throws IOException {
    Path file = Paths.get(args[0]);
    long size = Long.parseLong(args[1]);
    int passes = Integer.parseInt(args[2]);
    int ops = Integer.parseInt(args[3]);
    byte[] src = new byte[CHUNK];
    for (int i = 0; i < src.length; i++) {
      src[i] = (byte) (i * 31 + 7);
    }
    try (PmemRegion region = PmemRegion.create(file, size)) {
      System.out.println("java_durable_write_mbs " + Math.round(pmemThroughput(region, src,
          passes)));
      latency(region, src, 64, ops, "java_write64");
      latency(region, src, 4096, ops, "java_write4k");
    } finally {
      Files.deleteIfExists(file);
    }
    try {
      System.out.println("filechannel_write_force_mbs " + Math.round(channelThroughput(file,
          size, src, passes)));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static double pmemThroughput(PmemRegion region, byte[] src, int passes)
      throws IOException {
    double best = 0;
    for (int p = 0; p < passes; p++) {
      long start = System.nanoTime();
      for (long off = 0; off + CHUNK <= region.length(); off += CHUNK) {
        region.writeDurable(off, src, 0, CHUNK);
      }
      double mbs = region.length() / 1e6 / ((System.nanoTime() - start) / 1e9);
      if (p > 0) {
        best = Math.max(best, mbs);
      }
    }
    return best;
  }

  private static double channelThroughput(Path file, long size, byte[] src, int passes)
      throws IOException {
    double best = 0;
    ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK).put(src);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      for (int p = 0; p < passes; p++) {
        long start = System.nanoTime();
        for (long off = 0; off + CHUNK <= size; off += CHUNK) {
          buffer.clear();
          while (buffer.hasRemaining()) {
            channel.write(buffer, off + buffer.position());
          }
          channel.force(false);
        }
        double mbs = size / 1e6 / ((System.nanoTime() - start) / 1e9);
        if (p > 0) {
          best = Math.max(best, mbs);
        }
      }
    }
    return best;
  }

  private static void latency(PmemRegion region, byte[] src, int length, int ops, String name)
      throws IOException {
    long[] times = new long[ops];
    long off = 0;
    // Warm the call path as the C loop has no JIT to warm.
    for (int i = 0; i < 20_000; i++) {
      region.writeDurable(i * 64L, src, 0, length);
    }
    for (int i = 0; i < ops; i++) {
      if (off + length > region.length()) {
        off = 0;
      }
      long start = System.nanoTime();
      region.writeDurable(off, src, 0, length);
      times[i] = System.nanoTime() - start;
      off += length;
    }
    Arrays.sort(times);
    System.out.println(name + "_p50_ns " + times[ops / 2]);
    System.out.println(name + "_p99_ns " + times[(int) ((long) ops * 99 / 100)]);
  }
}
