package io.marvel.hdfs.pmem.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.marvel.pmem.JavaProcess;
import io.marvel.pmem.ShmTempDirFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Block files on a mapping libpmem does not treat as PMEM (tmpfs without PMEM_IS_PMEM_FORCE)
 * commit with msync of the written spans. Runs in a child JVM, since libpmem reads the variable
 * once per process.
 */
@Tag("integration")
class MsyncModeTest {
  @TempDir(factory = ShmTempDirFactory.class)
  Path dir;

  @Test
  void commitSyncsWrittenSpansWithoutPmem() throws Exception {
    ProcessBuilder builder = JavaProcess.builder(List.of(), Writer.class,
        dir.resolve("blk_1").toString()).redirectErrorStream(true);
    builder.environment().put("PMEM_IS_PMEM_FORCE", "0");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, process.exitValue(), output);
    try (BlockFile file = BlockFile.open(dir.resolve("blk_1"))) {
      assertEquals(3000, file.header().dataLength());
      byte[] read = new byte[1];
      file.readData(2999, read, 0, 1);
      assertEquals(7, read[0]);
    }
    assertEquals("isPmem=false", output.lines().filter(l -> l.startsWith("isPmem="))
        .findFirst().orElse(output));
  }

  /** The child: writes 3000 bytes and meta, commits, reports whether libpmem saw PMEM. */
  public static final class Writer {
    private Writer() {
    }

    /**
     * @param args the block file to create
     * @throws IOException if writing fails
     */
    public static void main(String[] args) throws IOException {
      try (BlockFile file = BlockFile.create(Path.of(args[0]), BlockFileFixtures.LAYOUT)) {
        byte[] data = new byte[3000];
        data[2999] = 7;
        file.writeHeader(new BlockFileHeader(BlockFileState.RBW, 1, 1, 0,
            BlockFileFixtures.LAYOUT));
        file.writeMeta(0, new byte[19], 0, 19);
        file.writeData(0, data, 0, data.length);
        file.commitLength(data.length);
        System.out.println("isPmem=" + file.isPmem());
      }
    }
  }
}
