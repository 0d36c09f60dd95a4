package io.marvel.faas.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.mapreduce.OutputCommitter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;

/**
 * A text output whose reduce attempts wait, before their shuffle reads anything (Hadoop sets a
 * task's output up before its shuffle), until the file named by {@link #GATE_KEY} exists: so a
 * test can act between the map stage and the reducers' reads (lose a DataNode). Without the key
 * it is plain text output.
 */
public class ReduceGate extends TextOutputFormat<Object, Object> {
  /** Job key: the local file whose existence lets reduce attempts read. */
  public static final String GATE_KEY = "test.reduce.gate";

  @Override
  public synchronized OutputCommitter getOutputCommitter(TaskAttemptContext context)
      throws IOException {
    return new FileOutputCommitter(FileOutputFormat.getOutputPath(context), context) {
      @Override
      public void setupTask(TaskAttemptContext task) throws IOException {
        String gate = task.getConfiguration().get(GATE_KEY);
        if (gate != null && task.getTaskAttemptID().getTaskType() == TaskType.REDUCE) {
          await(Path.of(gate));
        }
        super.setupTask(task);
      }
    };
  }

  private static void await(Path gate) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!Files.exists(gate)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("reduce gate " + gate + " did not open within 2 minutes");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted at the reduce gate", e);
      }
    }
  }
}
