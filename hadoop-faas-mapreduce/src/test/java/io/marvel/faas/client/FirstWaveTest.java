package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first wave's size as estimated before the job's splits exist, on local files. */
class FirstWaveTest {
  @TempDir
  Path dir;

  @Test
  void oneMapPerVisibleFileAtMostTheConcurrency() throws IOException {
    for (String name : new String[] {"a", "b", "c", "_SUCCESS", ".hidden"}) {
      Files.writeString(dir.resolve(name), "text");
    }
    Configuration conf = conf(dir.toUri().toString());
    assertEquals(3, FirstWave.containers(conf, 8));
    assertEquals(2, FirstWave.containers(conf, 2));
  }

  @Test
  void aLargeFileMakesOneMapPerSplitAsFileInputFormatCutsIt() throws IOException {
    Files.writeString(dir.resolve("big"), "0123456789");
    Configuration conf = conf(dir.resolve("big").toUri().toString());
    // 10 bytes in splits of 3: 3, 3, 3 and the last byte (4 would be within the 10% slop).
    conf.setLong(FileInputFormat.SPLIT_MAXSIZE, 3);
    assertEquals(4, FirstWave.containers(conf, 10));
    conf.setLong(FileInputFormat.SPLIT_MAXSIZE, 5);
    assertEquals(2, FirstWave.containers(conf, 10));
  }

  @Test
  void globsAndSeveralDirsAddUp() throws IOException {
    Files.createDirectories(dir.resolve("x"));
    Files.createDirectories(dir.resolve("y"));
    Files.writeString(dir.resolve("x/1"), "a");
    Files.writeString(dir.resolve("y/1"), "b");
    Files.writeString(dir.resolve("y/2"), "c");
    assertEquals(3, FirstWave.containers(conf(dir.toUri() + "*"), 8));
    assertEquals(3, FirstWave.containers(conf(dir.resolve("x").toUri() + ","
        + dir.resolve("y").toUri()), 8));
    assertEquals(0, FirstWave.containers(conf(dir.resolve("none").toUri().toString()), 8));
  }

  @Test
  void withoutInputDirsTheJobsMapCountDecides() throws IOException {
    Configuration conf = new Configuration(false);
    conf.setInt(MRJobConfig.NUM_MAPS, 3);
    assertEquals(3, FirstWave.containers(conf, 8));
    assertEquals(2, FirstWave.containers(conf, 2));
  }

  private static Configuration conf(String inputDirs) {
    Configuration conf = new Configuration(false);
    conf.set(FileInputFormat.INPUT_DIR, inputDirs);
    return conf;
  }
}
