package io.marvel.faas.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's working directory as each task attempt sees it, the directory a YARN container
 * gives an attempt. Java cannot change a process's working directory, and task code opens cache
 * files relative to it ({@code new File("_partition.lst")}, Hadoop's local file system, a
 * streaming command such as {@code python3 mapper.py}), so a warm container links a job's
 * cache entries there for the time of each attempt and removes them when the attempt ends: an
 * attempt sees its own job's links and no other job's, while the localized files themselves
 * stay cached per job. Where the directory is the container's own, what an attempt left there
 * is removed too, as YARN removes a container's directory.
 *
 * <p>A container runs one activation at a time, so there the links are exactly the running
 * attempt's. When one JVM runs attempts at once (the in-JVM launcher), attempts of one job
 * share its links, and an attempt whose link name another job's running attempt has linked to
 * a different file waits until that attempt ends. Thread-safe.
 */
final class AttemptWorkingDir {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptWorkingDir.class);

  private final Path dir;
  private final BooleanSupplier owned;
  private final Map<String, Held> held = new HashMap<>();
  private int running;
  /** Entries of the directory before the running attempts began, when they are swept. */
  private Set<String> before;

  /** A link in use: its target and how many running attempts use it. */
  private static final class Held {
    private final Path target;
    private int users;

    Held(Path target) {
      this.target = target;
    }
  }

  /**
   * @param dir the process's working directory
   * @param owned asked when attempts begin: true if the directory belongs to this container,
   *     so that what attempts leave in it is removed once none runs; false if others (a client
   *     running tasks in its own JVM, its user) use it too
   */
  AttemptWorkingDir(Path dir, BooleanSupplier owned) {
    this.dir = dir;
    this.owned = owned;
  }

  /** The links of one running attempt; closing removes those no other attempt still uses. */
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Links a job's cache entries into the working directory for one attempt, waiting while
   * another job's running attempt holds one of the names.
   *
   * @param jobId the job, for messages
   * @param links link name (a single file name) to the localized file or directory
   * @return the lease to close when the attempt ends
   * @throws IOException if a name is taken by a file that is not a link, or a link cannot be
   *     made; the links made for this call are removed first
   * @throws InterruptedException if interrupted while waiting for a name
   */
  synchronized Lease acquire(String jobId, Map<String, Path> links)
      throws IOException, InterruptedException {
    while (conflicts(links)) {
      wait();
    }
    if (running == 0) {
      before = owned.getAsBoolean() ? entries() : null;
    }
    List<String> taken = new ArrayList<>(links.size());
    running++;
    try {
      for (Map.Entry<String, Path> link : links.entrySet()) {
        take(jobId, link.getKey(), link.getValue());
        taken.add(link.getKey());
      }
    } catch (IOException | RuntimeException e) {
      release(taken);
      throw e;
    }
    return () -> release(taken);
  }

  private boolean conflicts(Map<String, Path> links) {
    for (Map.Entry<String, Path> link : links.entrySet()) {
      Held h = held.get(link.getKey());
      if (h != null && !h.target.equals(link.getValue())) {
        return true;
      }
    }
    return false;
  }

  private void take(String jobId, String name, Path target) throws IOException {
    Held h = held.get(name);
    if (h == null) {
      Path link = dir.resolve(name);
      // A link nobody holds was left by a process that died mid-attempt; a real file is the
      // user's and stays.
      if (Files.isSymbolicLink(link)) {
        Files.delete(link);
      } else if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("cannot link cache entry " + target + " of job " + jobId
            + " as " + link + ": a file of that name exists in the working directory; give"
            + " the cache entry another name with a #fragment");
      }
      Files.createSymbolicLink(link, target);
      h = new Held(target);
      held.put(name, h);
    }
    h.users++;
  }

  private synchronized void release(List<String> names) {
    for (String name : names) {
      Held h = held.get(name);
      if (--h.users > 0) {
        continue;
      }
      held.remove(name);
      Path link = dir.resolve(name);
      try {
        if (Files.isSymbolicLink(link)) {
          Files.delete(link);
        }
      } catch (IOException e) {
        // The next attempt that links this name replaces the stale link.
        LOG.warn("Could not remove cache link {}", link, e);
      }
    }
    if (--running == 0 && before != null) {
      sweep();
    }
    notifyAll();
  }

  /** Removes what the attempts that just ended left in the directory. */
  private void sweep() {
    try {
      Set<String> left = entries();
      left.removeAll(before);
      for (String name : left) {
        Path entry = dir.resolve(name);
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          CachedJob.deleteTree(entry);
        } else {
          Files.deleteIfExists(entry);
        }
      }
      if (!left.isEmpty()) {
        LOG.debug("Removed {} left in working directory {} by the last attempt", left, dir);
      }
    } catch (IOException e) {
      // A file that stays is seen by the next attempt and may block a link of that name,
      // whose error then names it.
      LOG.warn("Could not remove what the last attempt left in working directory {}", dir, e);
    }
  }

  private Set<String> entries() throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
