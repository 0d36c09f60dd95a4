package io.marvel.faas.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where one faas job's reducers read their shuffle bytes from, from its job summary: the line
 * {@code SHUFFLE round=R mode=M job=J maps=N reduces=N local=BYTES remote=BYTES} that the faas
 * and multi-host runs print and {@link HostsReport} reads. Local bytes came from this host (the
 * PMEM store's mapping, a DataNode at an address of the reducer's host), remote bytes from
 * another host's DataNode; both are the succeeded reduce attempts' sums
 * ({@code localShuffleBytes}, {@code remoteShuffleBytes} in the summary). Maps and reduces are
 * the tasks that ran, which the input's layout alone does not tell (a split size setting).
 */
record ShuffleLine(int round, String mode, String job, int maps, int reduces, long localBytes,
    long remoteBytes) {
  static final String PREFIX = "SHUFFLE";

  /**
   * @param summary a job summary ({@code <jobId>.json})
   * @return the line for it
   * @throws IOException if it cannot be read
   */
  static ShuffleLine of(int round, String mode, String job, Path summary) throws IOException {
    JsonObject json = JsonParser.parseString(Files.readString(summary, StandardCharsets.UTF_8))
        .getAsJsonObject();
    Set<String> maps = new HashSet<>();
    Set<String> reduces = new HashSet<>();
    long local = 0;
    long remote = 0;
    for (JsonElement element : json.getAsJsonArray("attempts")) {
      JsonObject attempt = element.getAsJsonObject();
      if (!attempt.get("succeeded").getAsBoolean()) {
        continue;
      }
      String id = attempt.get("attemptId").getAsString();
      String task = id.substring(0, id.lastIndexOf('_'));
      if (id.contains("_m_")) {
        maps.add(task);
      } else {
        reduces.add(task);
        local += attempt.has("localShuffleBytes") ? attempt.get("localShuffleBytes").getAsLong()
            : 0;
        remote += attempt.has("remoteShuffleBytes")
            ? attempt.get("remoteShuffleBytes").getAsLong() : 0;
      }
    }
    return new ShuffleLine(round, mode, job, maps.size(), reduces.size(), local, remote);
  }

  /**
   * @param summaryDir a summary dir whose newest summary is the job's (jobs run one at a time)
   * @return the line for the newest summary, empty if there is none
   * @throws IOException if the dir or the summary cannot be read
   */
  static Optional<ShuffleLine> ofNewest(int round, String mode, String job, Path summaryDir)
      throws IOException {
    try (Stream<Path> files = Files.list(summaryDir)) {
      Optional<Path> newest = files.filter(p -> p.getFileName().toString().startsWith("job_")
          && p.getFileName().toString().endsWith(".json"))
          .max(Comparator.comparingLong(p -> p.toFile().lastModified()));
      return newest.isEmpty() ? Optional.empty()
          : Optional.of(of(round, mode, job, newest.get()));
    }
  }

  /** @return the line, {@code SHUFFLE key=value ...} */
  String toLine() {
    return PREFIX + " round=" + round + " mode=" + mode + " job=" + job + " maps=" + maps
        + " reduces=" + reduces + " local=" + localBytes + " remote=" + remoteBytes;
  }

  /**
   * @param line a line {@link #toLine} wrote
   * @return its figures
   * @throws IllegalArgumentException naming the line if a field is missing or not a number
   */
  static ShuffleLine parse(String line) {
    return KeyValues.parse(line, PREFIX, fields -> new ShuffleLine(
        Integer.parseInt(fields.get("round")), fields.get("mode"), fields.get("job"),
        Integer.parseInt(fields.get("maps")), Integer.parseInt(fields.get("reduces")),
        Long.parseLong(fields.get("local")), Long.parseLong(fields.get("remote"))));
  }
}
