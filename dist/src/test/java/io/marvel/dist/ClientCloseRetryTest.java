package io.marvel.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.client.impl.DfsClientConf;
import org.junit.jupiter.api.Test;

/**
 * The distribution's HDFS clients wait briefly before asking again whether a file they closed is
 * complete, but give up no sooner than Hadoop's. The waits are those of
 * {@code DFSOutputStream#completeFile} (hadoop-hdfs-client 3.4.2): the initial delay, doubled
 * after each try up to the maximum delay, as many times as the retries.
 */
class ClientCloseRetryTest {
  private static final Path SITE = Paths.get("src/main/conf/hdfs-site.xml");

  @Test
  void aRefusedCompleteIsRetriedSoonWithHadoopsPatience() throws Exception {
    DfsClientConf stock = new DfsClientConf(new HdfsConfiguration());
    DfsClientConf marvel = new DfsClientConf(withSite());

    assertEquals(400, stock.getBlockWriteLocateFollowingInitialDelayMs(),
        "Hadoop's default first wait changed; revisit the distribution's setting");
    assertEquals(25, marvel.getBlockWriteLocateFollowingInitialDelayMs());
    assertTrue(patienceMs(marvel) >= patienceMs(stock),
        "the distribution's client gives up after " + patienceMs(marvel)
            + " ms, Hadoop's after " + patienceMs(stock));
  }

  private static Configuration withSite() throws Exception {
    assertTrue(Files.isRegularFile(SITE), SITE.toAbsolutePath() + " is missing");
    Configuration conf = new HdfsConfiguration();
    conf.addResource(new org.apache.hadoop.fs.Path(SITE.toAbsolutePath().toString()));
    return conf;
  }

  /** The sum of the sleeps before the client gives up on a file that never completes. */
  private static long patienceMs(DfsClientConf conf) {
    long total = 0;
    long sleep = conf.getBlockWriteLocateFollowingInitialDelayMs();
    for (int i = 0; i < conf.getNumBlockWriteLocateFollowingRetry(); i++) {
      total += sleep;
      sleep = Math.min(sleep * 2, conf.getBlockWriteLocateFollowingMaxDelayMs());
    }
    return total;
  }
}
