package io.marvel.faas.client;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.util.StringUtils;

/**
 * How many containers a job's first wave of maps will use, estimated when the client asks for
 * the job's id, before its splits exist: the splits {@code FileInputFormat} would make of the
 * input dirs (one per file, or per split size of a larger file), or {@code mapreduce.job.maps}
 * for a job without input dirs (e.g. TeraGen), at most the job's concurrency. An input format
 * that splits otherwise makes this an estimate; it only sizes warm-ups.
 */
final class FirstWave {
  /** As FileInputFormat: a last split may be up to 10% larger than the split size. */
  private static final double SPLIT_SLOP = 1.1;

  private FirstWave() {
  }

  /**
   * @param conf the job's configuration
   * @param concurrency the most activations the job runs at once
   * @return the estimated number of maps, at most {@code concurrency}
   * @throws IOException if an input dir cannot be listed
   */
  static int containers(Configuration conf, int concurrency) throws IOException {
    String dirs = conf.get(FileInputFormat.INPUT_DIR, "");
    if (dirs.isEmpty()) {
      return Math.min(concurrency, Math.max(1, conf.getInt(MRJobConfig.NUM_MAPS, 1)));
    }
    Sizes sizes = new Sizes(Math.max(1, conf.getLong(FileInputFormat.SPLIT_MINSIZE, 1)),
        conf.getLong(FileInputFormat.SPLIT_MAXSIZE, Long.MAX_VALUE),
        conf.getBoolean(FileInputFormat.INPUT_DIR_RECURSIVE, false));
    long maps = 0;
    for (String dir : StringUtils.split(dirs)) {
      Path path = new Path(StringUtils.unEscapeString(dir));
      FileSystem fs = path.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(path);
      for (FileStatus match : matches == null ? new FileStatus[0] : matches) {
        maps += match.isDirectory() ? inDir(fs, match.getPath(), sizes, concurrency)
            : sizes.splits(match);
        if (maps >= concurrency) {
          return concurrency;
        }
      }
    }
    return (int) maps;
  }

  private static long inDir(FileSystem fs, Path dir, Sizes sizes, int concurrency)
      throws IOException {
    long maps = 0;
    for (FileStatus child : fs.listStatus(dir, FirstWave::visible)) {
      if (child.isDirectory()) {
        maps += sizes.recursive() ? inDir(fs, child.getPath(), sizes, concurrency) : 0;
      } else {
        maps += sizes.splits(child);
      }
      if (maps >= concurrency) {
        break;
      }
    }
    return maps;
  }

  /** As FileInputFormat's default filter: no files whose names start with _ or a dot. */
  private static boolean visible(Path path) {
    String name = path.getName();
    return !name.startsWith("_") && !name.startsWith(".");
  }

  /** The split settings of a job. */
  private record Sizes(long min, long max, boolean recursive) {
    long splits(FileStatus file) {
      long size = Math.max(min, Math.min(max, Math.max(1, file.getBlockSize())));
      long left = file.getLen();
      long splits = 0;
      while ((double) left / size > SPLIT_SLOP) {
        splits++;
        left -= size;
      }
      return left > 0 || splits == 0 ? splits + 1 : splits;
    }
  }
}
