package io.marvel.faas.registry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.mapreduce.TaskCompletionEvent;
import org.apache.hadoop.mapreduce.TaskReport;
import org.apache.hadoop.mapreduce.TaskType;

/**
 * The task reports and completion events of a job as its coordinator last published them, for
 * clients in other processes. In JSON they are base64 of Hadoop's own {@link Writable} form,
 * which round-trips every field (counters, running and successful attempts) exactly.
 *
 * @param maps the map task reports, by task index
 * @param reduces the reduce task reports, by task index
 * @param events every completion event so far, in order
 */
public record TaskDetails(TaskReport[] maps, TaskReport[] reduces, TaskCompletionEvent[] events) {
  /**
   * Jobs with more tasks than this publish no details: rebuilding and rewriting every report
   * once a second would cost the coordinator more than the rare remote reader gains.
   */
  public static final int MAX_TASKS = 1_000;

  /** @return the reports of the given type; none for setup and cleanup, as in-process */
  TaskReport[] reports(TaskType type) {
    return switch (type) {
      case MAP -> maps.clone();
      case REDUCE -> reduces.clone();
      default -> new TaskReport[0];
    };
  }

  /** @return up to {@code max} events from index {@code from} on */
  TaskCompletionEvent[] events(int from, int max) {
    if (from < 0 || from >= events.length) {
      return new TaskCompletionEvent[0];
    }
    int to = (int) Math.min(events.length, (long) from + Math.max(0, max));
    return Arrays.copyOfRange(events, from, to);
  }

  static String encode(Writable[] values) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(values.length);
      for (Writable value : values) {
        value.write(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  /**
   * @throws IOException if the text is not what {@link #encode} wrote
   */
  static <T extends Writable> T[] decode(String base64, Supplier<T> blank, T[] empty)
      throws IOException {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IOException("not base64: " + e.getMessage(), e);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int count = in.readInt();
      if (count < 0 || count > bytes.length) {
        throw new IOException("bad element count " + count);
      }
      List<T> values = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        T value = blank.get();
        value.readFields(in);
        values.add(value);
      }
      return values.toArray(empty);
    }
  }
}
