package io.marvel.pmem.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.pmem.JavaProcess;
import io.marvel.pmem.PmemRegion;
import io.marvel.pmem.ShmTempDirFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability for real: a writer JVM appends records and reports each durable one; the test
 * kills it with SIGKILL at a random moment and checks that everything reported survived.
 */
@Tag("integration")
class RecordLogCrashTest {
  private static final int ROUNDS = 25;

  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void everyReportedRecordSurvivesSigkill() throws Exception {
    Random random = new Random();
    int tornTails = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Path file = dir.resolve("crash-" + round);
      long seed = random.nextLong();
      Process writer = JavaProcess.builder(List.of(), CrashWriter.class, file.toString(),
          Long.toString(seed)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
          StandardCharsets.US_ASCII));
      String line = out.readLine();
      assertTrue("ready".equals(line), "writer did not start: " + line);
      long killAfterRecords = 1 + random.nextInt(3000);
      long reported = 0;
      while ((line = out.readLine()) != null && reported < killAfterRecords) {
        reported = Long.parseLong(line);
      }
      // SIGKILL through the handle: Process.destroyForcibly would also close our pipe.
      writer.toHandle().destroyForcibly();
      writer.waitFor();
      // Lines already in the pipe were reported before the kill: they count too.
      while ((line = out.readLine()) != null) {
        reported = Long.parseLong(line);
      }
      try (PmemRegion region = PmemRegion.open(file)) {
        RecordLog.Recovery recovery = RecordLog.open(region, CrashWriter.MAGIC).recover();
        assertTrue(recovery.records().size() >= reported, "round " + round + ": reported "
            + reported + " but recovered " + recovery.records().size());
        for (int i = 0; i < recovery.records().size(); i++) {
          assertArrayEquals(CrashWriter.payload(seed, i), recovery.records().get(i),
              "round " + round + " record " + i);
        }
        if (recovery.tornTailBytes() > 0) {
          tornTails++;
        }
      }
      java.nio.file.Files.delete(file);
    }
    System.out.println("crash rounds: " + ROUNDS + ", rounds with a torn tail ignored: "
        + tornTails);
  }
}
