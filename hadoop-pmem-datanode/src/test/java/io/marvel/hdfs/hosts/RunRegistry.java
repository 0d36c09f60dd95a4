package io.marvel.hdfs.hosts;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which runs exist on this machine and who owns them. A run is claimed by creating its
 * directory with an owner file (the owning process's id and start time) while holding a
 * machine-wide lock; a run whose owner is gone (a JVM killed before its shutdown hook ran)
 * or whose directory is missing (a removal cut short) is a leftover that the next claim, or
 * {@link #sweep()}, removes: its processes, namespaces, gateway link and directory.
 */
final class RunRegistry {
  static final String OWNER_FILE = "owner";

  private static final Path LOCK = Paths.get("/tmp/marvel-hosts.lock");
  /** The file lock excludes other processes; this excludes other threads of this JVM. */
  private static final Object JVM_LOCK = new Object();

  private RunRegistry() {
  }

  /**
   * Sweeps leftovers, then claims the lowest free run number.
   *
   * @param owner who starts the run (written to the owner file), e.g. "test"
   * @return the run, its directory created and owned by this process
   */
  static HostRun claim(String owner) throws IOException {
    synchronized (JVM_LOCK) {
      try (FileChannel lockFile = FileChannel.open(LOCK, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
        sweepLocked();
        SortedSet<Integer> taken = runNumbers();
        for (int number = 0; number < HostRun.MAX_RUNS; number++) {
          HostRun run = new HostRun(number);
          if (!taken.contains(number) && !HostNetwork.subnetInUse(run)) {
            Files.createDirectory(run.dir());
            writeOwner(run, owner);
            return run;
          }
        }
        throw new IOException("all " + HostRun.MAX_RUNS + " runs of simulated hosts are in use;"
            + " stop some (dev-support/bin/marvel-hosts status)");
      }
    }
  }

  /**
   * Removes the leftovers of every run whose owner is gone.
   *
   * @return what was removed
   */
  static List<String> sweep() throws IOException {
    synchronized (JVM_LOCK) {
      try (FileChannel lockFile = FileChannel.open(LOCK, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
        return sweepLocked();
      }
    }
  }

  private static List<String> sweepLocked() throws IOException {
    List<String> removed = new ArrayList<>();
    for (int number : runNumbers()) {
      HostRun run = new HostRun(number);
      if (!ownerAlive(run)) {
        removed.addAll(remove(run));
      }
    }
    return removed;
  }

  /**
   * Removes everything of {@code run}: processes, namespaces and links, then its directory,
   * the owner file last (so that a removal cut short is still seen as a leftover).
   *
   * @return what was removed
   */
  static List<String> remove(HostRun run) throws IOException {
    List<String> removed = new ArrayList<>(HostNetwork.remove(run));
    Path dir = run.dir();
    if (Files.exists(dir)) {
      Path owner = dir.resolve(OWNER_FILE);
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          if (!path.equals(owner) && !path.equals(dir)) {
            Files.deleteIfExists(path);
          }
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      Files.deleteIfExists(owner);
      Files.deleteIfExists(dir);
      removed.add("directory " + dir);
    }
    return removed;
  }

  /** @return the numbers of the runs that have a directory, a namespace or a gateway link */
  static SortedSet<Integer> runNumbers() throws IOException {
    SortedSet<Integer> numbers = new TreeSet<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(HostRun.SHM, "marvel-h*")) {
      for (Path dir : dirs) {
        HostRun.numberOf(dir.getFileName().toString()).ifPresent(numbers::add);
      }
    }
    for (String namespace : HostNetwork.namespaces()) {
      HostRun.numberOf(namespace).ifPresent(numbers::add);
    }
    for (String link : HostNetwork.links()) {
      HostRun.numberOf(link).ifPresent(numbers::add);
    }
    return numbers;
  }

  /** @return whether the process that claimed {@code run} still runs */
  static boolean ownerAlive(HostRun run) throws IOException {
    Properties owner = new Properties();
    try (Reader in = Files.newBufferedReader(run.dir().resolve(OWNER_FILE),
        StandardCharsets.UTF_8)) {
      owner.load(in);
    } catch (NoSuchFileException e) {
      return false;
    }
    long pid = Long.parseLong(owner.getProperty("pid", "-1"));
    String started = owner.getProperty("started", "");
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return false;
    }
    // The start time tells the owner from a later process that got the same id; where the
    // system does not tell start times, a live process of that id counts as the owner.
    Optional<Instant> start = process.get().info().startInstant();
    return started.isEmpty() || start.isEmpty()
        || Long.toString(start.get().toEpochMilli()).equals(started);
  }

  private static void writeOwner(HostRun run, String by) throws IOException {
    ProcessHandle self = ProcessHandle.current();
    Optional<Instant> started = self.info().startInstant();
    String text = "pid=" + self.pid() + "\n"
        + "started=" + started.map(Instant::toEpochMilli).map(String::valueOf).orElse("") + "\n"
        + "by=" + by + "\n";
    Files.writeString(run.dir().resolve(OWNER_FILE), text, StandardCharsets.UTF_8);
  }
}
