package io.marvel.faas.launcher;

import io.marvel.faas.FaasConfigKeys;
import io.marvel.whisk.platform.EmbeddedWhisk;
import java.io.IOException;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.MapTask;
import org.apache.hadoop.mapreduce.MRJobConfig;

/**
 * Refuses at submission a job run through OpenWhisk whose map output buffer
 * ({@code mapreduce.task.io.sort.mb}) cannot be allocated in its task action's heap; otherwise
 * every map attempt would fail at its start with "OutOfMemoryError: Java heap space", after the
 * job had used its retries. The task JVM (the embedded platform's containers and the task image
 * alike) runs the serial collector with a heap of
 * {@value EmbeddedWhisk#CONTAINER_HEAP_PERCENT}% of the action's memory; the buffer is one
 * array, which only the old generation (two thirds of the heap) can hold, beside what the
 * runtime keeps there. Measured on the embedded platform: a 256 MB action's fresh container
 * failed with a 109 MB buffer and ran 103 MB (a warm one ran 105 MB, failed 110 MB); a 512 MB
 * action's warm container ran 225 MB and failed with 232 MB.
 */
public final class SortBufferFit {
  /** What the task runtime keeps in the old generation beside the buffer, MB (measured). */
  static final int OLD_GENERATION_IN_USE_MB = 16;
  /** Memory is suggested in these steps, MB. */
  private static final int MEMORY_STEP_MB = 64;

  private SortBufferFit() {
  }

  /**
   * @param memoryMb the task action's memory
   * @return the largest map output buffer its heap can hold, MB
   */
  public static int largestSortMb(int memoryMb) {
    long heapKb = memoryMb * 1024L * EmbeddedWhisk.CONTAINER_HEAP_PERCENT / 100;
    return (int) (heapKb * 2 / 3 / 1024) - OLD_GENERATION_IN_USE_MB;
  }

  /**
   * @param jobId names the job in the message
   * @param job the job's configuration
   * @param memoryMb the task action's memory
   * @throws IOException naming both settings and the values that would fit, if a map of the job
   *     would allocate a buffer its action cannot hold
   */
  public static void check(String jobId, JobConf job, int memoryMb) throws IOException {
    String buffer = MapTask.MapOutputBuffer.class.getName();
    boolean sorts = job.getNumReduceTasks() > 0
        && job.get(MRJobConfig.MAP_OUTPUT_COLLECTOR_CLASS_ATTR, buffer).equals(buffer);
    int sortMb = job.getInt(MRJobConfig.IO_SORT_MB, MRJobConfig.DEFAULT_IO_SORT_MB);
    int largest = largestSortMb(memoryMb);
    if (!sorts || sortMb <= largest) {
      return;
    }
    int neededMb = memoryMb;
    while (largestSortMb(neededMb) < sortMb) {
      neededMb += MEMORY_STEP_MB;
    }
    throw new IOException("job " + jobId + " not submitted: its map output buffer, "
        + MRJobConfig.IO_SORT_MB + " = " + sortMb + " MB, does not fit in its task action's"
        + " heap: a " + memoryMb + " MB action (" + FaasConfigKeys.ACTION_MEMORY_MB_KEY
        + ") holds a buffer of at most " + largest + " MB; lower " + MRJobConfig.IO_SORT_MB
        + " to " + largest + " or less, or raise " + FaasConfigKeys.ACTION_MEMORY_MB_KEY
        + " to " + neededMb + " or more");
  }
}
