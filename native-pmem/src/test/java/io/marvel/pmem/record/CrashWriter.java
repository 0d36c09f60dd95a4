package io.marvel.pmem.record;

import io.marvel.pmem.PmemRegion;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.Random;

/** The writer process of {@link RecordLogCrashTest}: appends until killed, reporting counts. */
public final class CrashWriter {
  static final long MAGIC = 0x4d5643524153L;

  private CrashWriter() {
  }

  /** @param args the log file and the payload seed */
  public static void main(String[] args) throws Exception {
    long seed = Long.parseLong(args[1]);
    PrintStream out = new PrintStream(System.out, true, "US-ASCII");
    try (PmemRegion region = PmemRegion.create(Paths.get(args[0]), 128L << 20)) {
      RecordLog log = RecordLog.format(region, MAGIC, 1);
      out.println("ready");
      for (int i = 0; ; i++) {
        byte[] payload = payload(seed, i);
        if (payload.length + 16 > log.remaining()) {
          break;
        }
        log.append(payload, 0, payload.length);
        out.println(i + 1);
      }
      // Full: wait to be killed, as a writer mid-stream would be.
      Thread.sleep(60_000);
    }
  }

  static byte[] payload(long seed, int index) {
    Random random = new Random(seed * 31 + index);
    byte[] payload = new byte[1 + random.nextInt(32 * 1024)];
    random.nextBytes(payload);
    return payload;
  }
}
