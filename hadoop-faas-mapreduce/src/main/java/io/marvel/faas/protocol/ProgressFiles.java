package io.marvel.faas.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The channel through which running task attempts tell the coordinator their progress. An
 * OpenWhisk activation returns its result only when it ends, so while it runs each attempt
 * replaces one small file in the job's staging dir, {@code faas-progress/<attemptId>}, and the
 * coordinator lists the directory and reads the files that changed. A file is written under a
 * temporary name and renamed over the previous one, so a reader sees a whole report or the one
 * before. Writes never create the directory: once the job has ended and its staging dir is gone,
 * a late attempt's write fails instead of leaving files behind.
 *
 * <p>Content: a JSON object {@code {"progress": 0.37}}, the task's progress from 0 to 1 as
 * Hadoop's {@code TaskStatus} carries it. Thread-safe, as the file system is.
 */
public final class ProgressFiles {
  /** Directory of the progress files in the job's staging dir. */
  public static final String DIR = "faas-progress";
  private static final String TEMPORARY = ".tmp";

  private final FileSystem fs;
  private final Path dir;

  /**
   * @param fs the file system of the staging dir
   * @param jobSubmitDir the job's staging dir
   */
  public ProgressFiles(FileSystem fs, Path jobSubmitDir) {
    this.fs = fs;
    this.dir = new Path(jobSubmitDir, DIR);
  }

  /**
   * Creates the directory; the coordinator does this before any attempt runs.
   *
   * @throws IOException if it cannot be created
   */
  public void prepare() throws IOException {
    if (!fs.mkdirs(dir)) {
      throw new IOException("cannot create the task progress dir " + dir);
    }
  }

  /**
   * Replaces an attempt's progress report.
   *
   * @param attemptId the task attempt
   * @param progress its progress, 0 to 1
   * @throws IOException if the file cannot be written, for example because the job ended and
   *     its staging dir is gone
   */
  public void write(String attemptId, float progress) throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty("progress", progress);
    byte[] content = json.toString().getBytes(StandardCharsets.UTF_8);
    Path file = new Path(dir, attemptId);
    Path temporary = new Path(dir, attemptId + TEMPORARY);
    if ("file".equals(fs.getScheme())) {
      // Directly, without the .crc files of Hadoop's local file system; rename(2) replaces.
      java.nio.file.Path target = Paths.get(fs.makeQualified(file).toUri());
      java.nio.file.Path written = Paths.get(fs.makeQualified(temporary).toUri());
      try {
        Files.write(written, content);
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException("task progress dir " + dir + " does not exist: the job"
            + " has ended");
      }
      Files.move(written, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    // The builder creates no parent dirs, so a late attempt cannot recreate the staging dir.
    try (FSDataOutputStream out = fs.createFile(temporary).overwrite(true).build()) {
      out.write(content);
    }
    // FileSystem.rename never replaces on HDFS; FileContext's rename does, in one call.
    FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(temporary, file,
        Options.Rename.OVERWRITE);
  }

  /**
   * @return when each attempt's report was last replaced, epoch ms by attempt id; empty when
   *     the directory is gone (the job ended)
   * @throws IOException if the directory cannot be listed
   */
  public Map<String, Long> list() throws IOException {
    Map<String, Long> reports = new HashMap<>();
    FileStatus[] files;
    try {
      files = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return reports;
    }
    for (FileStatus file : files) {
      String name = file.getPath().getName();
      if (!name.endsWith(TEMPORARY)) {
        reports.put(name, file.getModificationTime());
      }
    }
    return reports;
  }

  /**
   * @param attemptId the task attempt
   * @return its last reported progress, 0 to 1; empty if there is no report, or it is not one
   *     (a file of another version), which a reader skips
   * @throws IOException if the file exists but cannot be read
   */
  public Optional<Float> read(String attemptId) throws IOException {
    String text;
    try (InputStream in = fs.open(new Path(dir, attemptId))) {
      text = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    JsonElement root;
    try {
      root = JsonParser.parseString(text);
    } catch (JsonParseException e) {
      return Optional.empty();
    }
    JsonElement value = root.isJsonObject() ? root.getAsJsonObject().get("progress") : null;
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      return Optional.empty();
    }
    float progress = value.getAsFloat();
    return Float.isFinite(progress) ? Optional.of(Math.max(0f, Math.min(1f, progress)))
        : Optional.empty();
  }

  /** @return the progress directory */
  public Path dir() {
    return dir;
  }
}
