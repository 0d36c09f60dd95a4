package io.marvel.faas.coordinator;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.marvel.faas.launcher.WarmUpResult;
import io.marvel.faas.protocol.FaasCounter;
import io.marvel.faas.protocol.TaskKind;
import io.marvel.faas.settings.FaasSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.mapreduce.JobID;

/**
 * Writes a job's summary: {@code <jobId>.json} with one entry per task attempt (activation id,
 * container and the host it ran on, cold or warm container, job cache hit or miss, start, end,
 * bytes in and out, a reduce's shuffle bytes read on its host and over the network,
 * state: SUCCEEDED, FAILED or KILLED, the file of its activation's logs) and
 * {@code <jobId>-timeline.html}, an SVG timeline of the activations with one row per task, each
 * linked to its logs.
 */
public final class JobSummary {
  private static final int ROW = 18;
  private static final int LABEL = 190;
  private static final int WIDTH = 1000;

  private JobSummary() {
  }

  /**
   * @param settings the job's settings, naming the summary dir
   * @param jobId the job
   * @return the job's tracking URL: its activation timeline
   */
  public static String trackingUrl(FaasSettings settings, JobID jobId) {
    return "file://" + settings.summaryDir() + "/" + jobId + "-timeline.html";
  }

  /**
   * @return the JSON summary of a job's attempts
   * @param jobId the job id
   * @param state final state
   * @param startMs job start, epoch ms
   * @param endMs job end, epoch ms
   * @param attempts every attempt, in launch order
   */
  static JsonObject json(String jobId, String state, long startMs, long endMs,
      List<AttemptRecord> attempts) {
    return json(jobId, state, startMs, endMs, attempts, List.of());
  }

  /**
   * @return the JSON summary of a job's attempts and, apart from them, its warm-ups
   * @param jobId the job id
   * @param state final state
   * @param startMs job start, epoch ms
   * @param endMs job end, epoch ms
   * @param attempts every attempt, in launch order
   * @param warmUps the warm-up activations run for the job ahead of its tasks: no attempts,
   *     listed so that what the job's containers cost can be told from what its tasks cost
   */
  static JsonObject json(String jobId, String state, long startMs, long endMs,
      List<AttemptRecord> attempts, List<WarmUpResult> warmUps) {
    JsonObject summary = new JsonObject();
    summary.addProperty("jobId", jobId);
    summary.addProperty("state", state);
    summary.addProperty("startMs", startMs);
    summary.addProperty("endMs", endMs);
    JsonArray list = new JsonArray();
    for (AttemptRecord a : attempts) {
      JsonObject entry = new JsonObject();
      entry.addProperty("attemptId", a.attemptId());
      entry.addProperty("activationId", a.activationId());
      entry.addProperty("container", a.container());
      entry.addProperty("host", a.host());
      // An attempt without a task result says nothing about a container or the job cache.
      boolean ran = !a.container().isEmpty();
      entry.addProperty("containerState", !ran ? "none" : a.coldContainer() ? "cold" : "warm");
      entry.addProperty("jobCache", !ran ? "none" : a.warm() ? "hit" : "miss");
      entry.addProperty("launchMs", a.launchMs());
      entry.addProperty("startMs", a.startMs());
      entry.addProperty("endMs", a.endMs());
      entry.addProperty("bytesIn", a.bytesIn());
      entry.addProperty("bytesOut", a.bytesOut());
      if (a.kind() == TaskKind.REDUCE) {
        entry.addProperty("localShuffleBytes", a.faasCounter(FaasCounter.LOCAL_SHUFFLE_BYTES));
        entry.addProperty("remoteShuffleBytes",
            a.faasCounter(FaasCounter.REMOTE_SHUFFLE_BYTES));
      }
      entry.addProperty("state", a.state().name());
      entry.addProperty("succeeded", a.succeeded());
      if (!a.succeeded()) {
        entry.addProperty("diagnostics", a.diagnostics());
      }
      if (!a.logFile().isEmpty()) {
        entry.addProperty("log", a.logFile());
      }
      list.add(entry);
    }
    summary.add("attempts", list);
    JsonArray warm = new JsonArray();
    for (WarmUpResult w : warmUps) {
      JsonObject entry = new JsonObject();
      entry.addProperty("activationId", w.activationId());
      entry.addProperty("container", w.container());
      entry.addProperty("durationMs", w.durationMs());
      entry.addProperty("succeeded", w.succeeded());
      entry.addProperty("detail", w.detail());
      warm.add(entry);
    }
    summary.add("warmUps", warm);
    return summary;
  }

  /**
   * Writes both files.
   *
   * @param dir the summary directory, created if missing
   * @param summary from {@link #json}
   * @param attempts the attempts drawn in the timeline
   * @return the timeline file
   * @throws IOException if a file cannot be written
   */
  static Path write(Path dir, JsonObject summary, List<AttemptRecord> attempts)
      throws IOException {
    Files.createDirectories(dir);
    String jobId = summary.get("jobId").getAsString();
    Files.writeString(dir.resolve(jobId + ".json"),
        new GsonBuilder().setPrettyPrinting().create().toJson(summary), StandardCharsets.UTF_8);
    Path timeline = dir.resolve(jobId + "-timeline.html");
    Files.writeString(timeline, html(jobId, summary.get("startMs").getAsLong(),
        summary.get("endMs").getAsLong(), attempts), StandardCharsets.UTF_8);
    return timeline;
  }

  static String html(String jobId, long startMs, long endMs, List<AttemptRecord> attempts) {
    double span = Math.max(1, endMs - startMs);
    int height = ROW * (attempts.size() + 2);
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns='http://www.w3.org/2000/svg' width='").append(LABEL + WIDTH + 20)
        .append("' height='").append(height).append("' font-family='monospace' font-size='11'>");
    int row = 0;
    for (AttemptRecord a : attempts) {
      int y = ROW * row++;
      double x0 = LABEL + WIDTH * (a.launchMs() - startMs) / span;
      double x1 = LABEL + WIDTH * (a.endMs() - startMs) / span;
      double xs = LABEL + WIDTH * (Math.max(a.startMs(), a.launchMs()) - startMs) / span;
      String color = switch (a.state()) {
        case FAILED -> "#d9534f";
        case KILLED -> "#f0ad4e";
        case SUCCEEDED -> a.kind() == TaskKind.MAP ? "#337ab7" : "#5cb85c";
      };
      svg.append("<text x='2' y='").append(y + 13).append("'>").append(a.attemptId()
          .replace("attempt_", "")).append("</text>");
      svg.append(String.format("<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='#ccc'/>",
          x0, y + 3, Math.max(0.5, xs - x0), ROW - 6));
      if (!a.logFile().isEmpty()) {
        // Relative, so the summary dir can be copied elsewhere and still open.
        Path log = Path.of(a.logFile());
        svg.append("<a href='").append(escape(log.getParent().getFileName() + "/"
            + log.getFileName())).append("'>");
      }
      svg.append(String.format("<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='%s'>",
          xs, y + 3, Math.max(1, x1 - xs), ROW - 6, color));
      svg.append("<title>").append(escape(title(a))).append("</title></rect>");
      if (!a.logFile().isEmpty()) {
        svg.append("</a>");
      }
    }
    int axis = ROW * row + 12;
    svg.append("<text x='").append(LABEL).append("' y='").append(axis).append("'>0 ms</text>");
    svg.append("<text x='").append(LABEL + WIDTH - 80).append("' y='").append(axis)
        .append("'>").append(endMs - startMs).append(" ms</text></svg>");
    return "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>" + escape(jobId)
        + " activations</title></head><body><h3>" + escape(jobId) + ": " + attempts.size()
        + " activations</h3><p>grey: waiting for a container, blue: map, green: reduce,"
        + " red: failed attempt, orange: killed attempt; hover for details, click for the task's"
        + " log</p>\n" + svg
        + "\n</body></html>\n";
  }

  /** @return what the timeline says of an attempt when hovered */
  static String title(AttemptRecord a) {
    long ms = a.endMs() - a.launchMs();
    if (a.container().isEmpty()) {
      // No task result came back: abandoned (killed or failed by the user, killed with its
      // job), or its activation failed or was never created.
      String activation = "none".equals(a.activationId())
          ? "before its activation returned (no activation record)"
          : "in activation " + a.activationId() + ", which returned no task result";
      return a.attemptId() + " " + a.state() + " " + ms + " ms after launch, " + activation
          + ", no container known: " + firstLine(a.diagnostics());
    }
    return a.attemptId() + " activation " + a.activationId() + " container " + a.container()
        + (a.host().isEmpty() ? "" : " on " + a.host())
        + (a.coldContainer() ? " (cold)" : " (warm)")
        + (a.warm() ? ", job cached" : ", job localized") + ", " + ms + " ms, in "
        + a.bytesIn() + " B, out " + a.bytesOut() + " B"
        + (a.succeeded() ? "" : ", " + a.state() + ": " + firstLine(a.diagnostics()));
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("'", "&#39;");
  }
}
