package io.marvel.faas.registry;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the files of old jobs from the summary dir, as the job history server drops jobs
 * after {@code mapreduce.jobhistory.max-age-ms}. A job's files are every entry whose name
 * starts with its id (summary, timeline, status, configuration, kill request, its task logs
 * and task requests dirs, and their temporary files). A job is old when the newest of them is
 * older than the max age. A running job rewrites its status every second; one whose status is
 * not final and whose submitting process still lives (stalled, or stopped with Ctrl-Z) is kept
 * too. Entries that belong to no job are left alone. Several processes may clean the same dir
 * at once; an entry one cannot remove is logged and the others are still removed.
 */
public final class SummaryRetention {
  private static final Logger LOG = LoggerFactory.getLogger(SummaryRetention.class);
  /** Job ids as Hadoop prints them, optionally behind the dot of a temporary file. */
  private static final Pattern JOB_FILE = Pattern.compile("^\\.?(job_[A-Za-z0-9]+_\\d+)[._-]");

  private final JobRegistry registry;
  private final long maxAgeMs;

  /**
   * @param registry the summary dir
   * @param maxAgeMs how long after its last change a job's files are kept; 0 keeps them
   */
  public SummaryRetention(JobRegistry registry, long maxAgeMs) {
    this.registry = registry;
    this.maxAgeMs = maxAgeMs;
  }

  /**
   * Removes the files of every job not touched for longer than the max age.
   *
   * @param nowMs the current time, epoch ms
   * @param keptJobId a job whose files stay whatever their age: the one that just ended
   * @return the ids of the jobs whose files were all removed
   * @throws IOException if the dir cannot be listed
   */
  public List<String> removeOld(long nowMs, String keptJobId) throws IOException {
    Path dir = registry.dir();
    List<String> removed = new ArrayList<>();
    if (maxAgeMs == 0 || !Files.isDirectory(dir)) {
      return removed;
    }
    Map<String, List<Path>> filesByJob = new HashMap<>();
    Map<String, Long> newestByJob = new HashMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        Matcher job = JOB_FILE.matcher(entry.getFileName().toString());
        if (!job.find() || job.group(1).equals(keptJobId)) {
          continue;
        }
        long modified;
        try {
          modified = Files.getLastModifiedTime(entry).toMillis();
        } catch (NoSuchFileException e) {
          continue;
        }
        filesByJob.computeIfAbsent(job.group(1), id -> new ArrayList<>()).add(entry);
        newestByJob.merge(job.group(1), modified, Math::max);
      }
    }
    for (Map.Entry<String, List<Path>> job : filesByJob.entrySet()) {
      if (nowMs - newestByJob.get(job.getKey()) > maxAgeMs && !stillRunning(job.getKey())) {
        boolean all = true;
        for (Path entry : job.getValue()) {
          // Hadoop's own delete: a tree, and quiet when another process removed it first.
          if (!FileUtil.fullyDelete(entry.toFile()) && Files.exists(entry)) {
            LOG.warn("Cannot remove {} of old job {}", entry, job.getKey());
            all = false;
          }
        }
        if (all) {
          removed.add(job.getKey());
        }
      }
    }
    if (!removed.isEmpty()) {
      LOG.info("Removed the summaries of {} job(s) older than {} ms from {}", removed.size(),
          maxAgeMs, dir);
    }
    return removed;
  }

  private boolean stillRunning(String jobId) {
    try {
      return registry.read(jobId)
          .map(status -> !status.ended() && status.coordinator().alive()).orElse(false);
    } catch (IOException e) {
      // A damaged status file tells nothing; the job's age decides.
      return false;
    }
  }
}
