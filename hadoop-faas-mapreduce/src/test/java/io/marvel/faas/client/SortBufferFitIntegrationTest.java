package io.marvel.faas.client;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.faas.launcher.SortBufferFit;
import io.marvel.faas.testing.WordCountJobs;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.junit.jupiter.api.Test;

/**
 * The largest map output buffer {@link SortBufferFit} lets through runs in a real container of
 * the embedded platform, and 1 MB more is refused before any activation; without the check
 * that job's maps failed with "OutOfMemoryError: Java heap space" in MapOutputBuffer.init.
 */
class SortBufferFitIntegrationTest extends FaasClusterHarness {
  private static final int MEMORY_MB = 256;

  @Test
  void theLargestBufferLetThroughRunsAndOneMoreIsRefused() throws Exception {
    Path in = new Path("/sort-fit/in");
    writeTwelveWords(in);
    int largest = SortBufferFit.largestSortMb(MEMORY_MB);

    Job fits = WordCountJobs.wordCount(conf(largest), "fits", in, new Path("/sort-fit/fits"));
    assertTrue(fits.waitForCompletion(false), fits.getStatus().getFailureInfo());

    Job tooLarge = WordCountJobs.wordCount(conf(largest + 1), "too-large", in,
        new Path("/sort-fit/too-large"));
    IOException refused = assertThrows(IOException.class, () -> tooLarge.submit());
    assertTrue(refused.getMessage().contains("lower mapreduce.task.io.sort.mb to " + largest),
        refused.getMessage());
  }

  private Configuration conf(int sortMb) {
    Configuration conf = embeddedPlatformConf();
    conf.setInt(FaasConfigKeys.ACTION_MEMORY_MB_KEY, MEMORY_MB);
    conf.setInt(MRJobConfig.IO_SORT_MB, sortMb);
    // One attempt: a buffer that does not fit fails the job at once.
    conf.setInt(MRJobConfig.MAP_MAX_ATTEMPTS, 1);
    return conf;
  }
}
